package io.github.clipage.api;

import static io.github.clipage.api.CogApiTest.assertFailed;
import static io.github.clipage.api.CogApiTest.dataUrl;
import static io.github.clipage.api.CogApiTest.imageBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Images by URL through {@code POST /predictions}, fetched from a server this test runs on 127.0.0.1.
 *
 * <p>The service's address policy rejects loopback, so no fetch could ever reach a local server. This test alone
 * replaces the policy with one that permits loopback addresses and nothing else. The allow-list, redirect, size
 * and time guards stay as they are in production.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "age.model.id=demo",
            "age.remote-images.enabled=true",
            "age.remote-images.allowed-hosts=127.0.0.1",
            "age.remote-images.max-bytes=1MB",
            "age.remote-images.timeout=1s",
            "age.remote-images.max-redirects=2"
        })
class CogRemoteImageTest {

    private static final Path ASTRONAUT = Path.of("src/test/resources/images/astronaut.png");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static HttpServer server;
    private static ExecutorService executor;
    private static String base;

    @LocalServerPort
    int port;

    RestClient client;

    /** Permits loopback addresses only, so that the fetcher can reach this test's server. */
    @TestConfiguration
    static class LoopbackPolicy {

        @Bean
        @Primary
        ImageUrlAddressPolicy loopbackOnlyPolicy() {
            return address -> address.isLoopbackAddress();
        }
    }

    @BeforeAll
    static void startImageServer() throws IOException {
        byte[] photo = Files.readAllBytes(ASTRONAUT);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        base = "http://127.0.0.1:" + server.getAddress().getPort();

        server.createContext("/astronaut.png", exchange -> respond(exchange, 200, "image/png", photo));
        server.createContext("/astronaut-chunked.png", exchange -> respondChunked(exchange, photo, 1));
        server.createContext("/large-declared", exchange -> respond(exchange, 200, "image/jpeg", new byte[1024 * 1024 + 1]));
        server.createContext("/large-chunked", exchange -> respondChunked(exchange, new byte[256 * 1024], 16));
        server.createContext("/text", exchange ->
                respond(exchange, 200, "text/html", "<html><body>not a photo</body></html>".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/missing", exchange -> respond(exchange, 404, "text/plain", new byte[0]));
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "image/png", photo);
        });
        server.createContext("/redirect-relative", exchange -> redirect(exchange, "/astronaut.png"));
        server.createContext("/redirect-to-localhost", exchange ->
                redirect(exchange, "http://localhost:" + server.getAddress().getPort() + "/astronaut.png"));
        server.createContext("/loop", exchange -> {
            int hop = Integer.parseInt(exchange.getRequestURI().getPath().substring("/loop/".length()));
            redirect(exchange, "/loop/" + (hop + 1));
        });
        server.start();
    }

    @AfterAll
    static void stopImageServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    @BeforeEach
    void createClient() {
        client = LoopbackRestClient.create(port);
    }

    @Test
    void urlImageMatchesDataUrlAge() throws Exception {
        ResponseEntity<String> byUrl = predict(base + "/astronaut.png");
        ResponseEntity<String> byData = predict(dataUrl("image/png", Files.readAllBytes(ASTRONAUT)));

        assertThat(byUrl.getStatusCode().value()).as(byUrl.getBody()).isEqualTo(200);
        JsonNode body = JSON.readTree(byUrl.getBody());
        assertThat(body.get("status").asString()).isEqualTo("succeeded");
        assertThat(body.get("output").asInt()).isBetween(1, 99);
        assertThat(body.get("output").asInt()).isEqualTo(JSON.readTree(byData.getBody()).get("output").asInt());
    }

    @Test
    void chunkedImageIsFetched() {
        ResponseEntity<String> response = predict(base + "/astronaut-chunked.png");

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        assertThat(JSON.readTree(response.getBody()).get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void relativeRedirectIsFollowed() {
        ResponseEntity<String> response = predict(base + "/redirect-relative");

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        assertThat(JSON.readTree(response.getBody()).get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void declaredBodyOverLimitFails() {
        assertFailed(predict(base + "/large-declared"), 413, "larger than the limit of 1048576 bytes");
    }

    @Test
    void chunkedBodyOverLimitIsCutOff() {
        // 4 MB without a Content-Length: only reading stops it.
        assertFailed(predict(base + "/large-chunked"), 413, "larger than the limit of 1048576 bytes");
    }

    @Test
    void slowServerTimesOut() {
        long start = System.nanoTime();

        assertFailed(predict(base + "/slow"), 422, "did not respond within 1000 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
    }

    @Test
    void redirectToHostNotAllowedFails() {
        assertFailed(predict(base + "/redirect-to-localhost"), 400, "The host localhost is not in age.remote-images.allowed-hosts");
    }

    @Test
    void tooManyRedirectsFail() {
        assertFailed(predict(base + "/loop/0"), 422, "redirected more than 2 times");
    }

    @Test
    void nonImageContentFails() {
        assertFailed(predict(base + "/text"), 415, "not a supported image");
    }

    @Test
    void errorStatusFails() {
        assertFailed(predict(base + "/missing"), 422, "responded HTTP 404");
    }

    @Test
    void hostNotAllowedFails() {
        assertFailed(predict("http://localhost:" + server.getAddress().getPort() + "/astronaut.png"), 400,
                "is not in age.remote-images.allowed-hosts");
    }

    private ResponseEntity<String> predict(String image) {
        return client.post().uri("/predictions")
                .contentType(MediaType.APPLICATION_JSON)
                .body(imageBody(image))
                .retrieve()
                .toEntity(String.class);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream output = exchange.getResponseBody()) {
            output.write(body);
        } catch (IOException e) {
            // The fetcher closes the connection once it has read enough; that is the behaviour under test.
        }
    }

    /** Sends {@code block} {@code times} times with chunked encoding, so no Content-Length announces the size. */
    private static void respondChunked(HttpExchange exchange, byte[] block, int times) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream output = exchange.getResponseBody()) {
            for (int i = 0; i < times; i++) {
                output.write(block);
            }
        } catch (IOException e) {
            // The fetcher closes the connection once it has read enough; that is the behaviour under test.
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }
}
