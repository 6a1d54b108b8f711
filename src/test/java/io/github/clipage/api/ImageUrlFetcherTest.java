package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/**
 * The guards of the URL fetcher with the production address policy. A server on 127.0.0.1 counts requests, to
 * show that a rejected URL is never connected to.
 */
class ImageUrlFetcherTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private int serverPort;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        serverPort = server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void urlIsRejectedWhenDisabled() {
        ImageUrlFetcher fetcher = fetcher(false, List.of("127.0.0.1", "localhost"));

        assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:" + serverPort + "/photo.jpg"))
                .isInstanceOfSatisfying(ImageUrlException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageUrlException.Reason.NOT_ALLOWED))
                .hasMessageContaining("disabled")
                .hasMessageContaining("age.remote-images.enabled=true")
                .hasMessageContaining("age.remote-images.allowed-hosts");
        assertThat(requests).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "[::1]"})
    void loopbackIsRejectedEvenWhenAllowListed(String host) {
        ImageUrlFetcher fetcher = fetcher(true, List.of(host));

        assertThatThrownBy(() -> fetcher.fetch("http://" + host + ":" + serverPort + "/photo.jpg"))
                .isInstanceOfSatisfying(ImageUrlException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageUrlException.Reason.NOT_ALLOWED))
                .hasMessageContaining("a loopback address")
                .hasMessageContaining("public addresses only");
        assertThat(requests).hasValue(0);
    }

    @Test
    void hostNotOnListIsRejected() {
        ImageUrlFetcher fetcher = fetcher(true, List.of("images.example.com"));

        assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:" + serverPort + "/photo.jpg"))
                .isInstanceOf(ImageUrlException.class)
                .hasMessageContaining("The host 127.0.0.1 is not in age.remote-images.allowed-hosts");
        assertThat(requests).hasValue(0);
    }

    @Test
    void userInfoIsRejected() {
        ImageUrlFetcher fetcher = fetcher(true, List.of("127.0.0.1"));

        assertThatThrownBy(() -> fetcher.fetch("http://user:secret@127.0.0.1:" + serverPort + "/photo.jpg?token=abc"))
                .isInstanceOf(ImageUrlException.class)
                .hasMessageContaining("The URL http://127.0.0.1:" + serverPort + "/photo.jpg contains user information")
                .hasMessageNotContaining("secret")
                .hasMessageNotContaining("token=abc");
        assertThat(requests).hasValue(0);
    }

    @Test
    void invalidUrlMessageHidesCredentials() {
        ImageUrlFetcher fetcher = fetcher(true, List.of("127.0.0.1"));

        assertThatThrownBy(() -> fetcher.fetch("http://user:secret@127.0.0.1:" + serverPort + "/a photo.jpg?token=abc"))
                .isInstanceOf(ImageUrlException.class)
                .hasMessageContaining("not a valid URL")
                .hasMessageContaining("http://127.0.0.1:" + serverPort + "/a photo.jpg")
                .hasMessageNotContaining("secret")
                .hasMessageNotContaining("token=abc");
    }

    @Test
    void failedFetchMessageHidesQuery() {
        server.createContext("/missing.jpg", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        RemoteImageProperties properties = new RemoteImageProperties(
                true, List.of("127.0.0.1"), DataSize.ofMegabytes(1), Duration.ofSeconds(1), 3);
        // Only this test permits loopback, so that the fetch reaches the local server.
        ImageUrlFetcher fetcher = new ImageUrlFetcher(properties, address -> address.isLoopbackAddress());

        assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:" + serverPort + "/missing.jpg?token=abc"))
                .isInstanceOf(ImageUrlException.class)
                .hasMessage("The image URL http://127.0.0.1:" + serverPort + "/missing.jpg responded HTTP 404 instead of 2xx.");
        assertThat(requests).hasValue(1);
    }

    @Test
    void invalidUrlIsRejected() {
        ImageUrlFetcher fetcher = fetcher(true, List.of("127.0.0.1"));

        assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:" + serverPort + "/a photo.jpg"))
                .isInstanceOfSatisfying(ImageUrlException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageUrlException.Reason.NOT_ALLOWED))
                .hasMessageContaining("not a valid URL");
    }

    @Test
    void httpUrlsAreRecognised() {
        assertThat(ImageUrlFetcher.isHttpUrl("HTTPS://images.example.com/a.jpg")).isTrue();
        assertThat(ImageUrlFetcher.isHttpUrl("http://images.example.com/a.jpg")).isTrue();
        assertThat(ImageUrlFetcher.isHttpUrl("ftp://images.example.com/a.jpg")).isFalse();
        assertThat(ImageUrlFetcher.isHttpUrl("file:///etc/passwd")).isFalse();
    }

    private static ImageUrlFetcher fetcher(boolean enabled, List<String> allowedHosts) {
        RemoteImageProperties properties =
                new RemoteImageProperties(enabled, allowedHosts, DataSize.ofMegabytes(1), Duration.ofSeconds(1), 3);
        return new ImageUrlFetcher(properties, ImageUrlAddressPolicy.publicOnly());
    }
}
