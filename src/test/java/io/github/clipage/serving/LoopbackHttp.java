package io.github.clipage.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends requests to the service under test on 127.0.0.1, and nowhere else. */
public final class LoopbackHttp {

    private static final String BOUNDARY = "clip-age-test-boundary";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    /** Creates a client for the service listening on {@code port}. */
    public LoopbackHttp(int port) {
        this.port = port;
    }

    /** Sends a GET and returns the response body as text. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code bytes} as the multipart part {@code image} and returns the response body as text. */
    public HttpResponse<String> postImage(String path, byte[] bytes) throws IOException, InterruptedException {
        return client.send(imageRequest(path, bytes), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code bytes} as the multipart part {@code image} without waiting for the response. */
    public CompletableFuture<HttpResponse<String>> postImageAsync(String path, byte[] bytes) {
        return client.sendAsync(imageRequest(path, bytes), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest imageRequest(String path, byte[] bytes) {
        byte[] head = ("--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"image\"; filename=\"image\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bytes, 0, body, head.length, bytes.length);
        System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
        return HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
