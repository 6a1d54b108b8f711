package io.github.clipage.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.clipage.serving.LoopbackHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs a real Prometheus server (Debian package {@code prometheus}) against the service on
 * 127.0.0.1 and checks through its HTTP API that the scrape is healthy and the service's series exist.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "age.model.id=demo")
class PrometheusScrapeTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GIVE_UP = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @TempDir
    Path directory;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process prometheus;

    @AfterEach
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    @Test
    @Timeout(30)
    void prometheusScrapesServiceSeries() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            fail(PROMETHEUS + " is missing: install Debian's prometheus package (apt-get install -y prometheus)"
                    + " to run this test; its service need not be enabled.");
        }
        assertThat(new LoopbackHttp(port).postImage("/api/v1/age", ActuatorEndpointsTest.photo()).statusCode())
                .isEqualTo(200);
        int prometheusPort = freePort();
        startPrometheus(prometheusPort);

        JsonNode target = awaitHealthyTarget(prometheusPort);

        assertThat(target.path("scrapeUrl").asString()).isEqualTo("http://127.0.0.1:" + port + "/actuator/prometheus");
        assertThat(target.path("lastError").asString()).isEmpty();
        for (String series : List.of(
                "age_inference_duration_seconds_bucket",
                "age_batch_size_bucket",
                "age_queue_depth",
                "age_requests_rejected_total{reason=\"queue-full\"}",
                "age_model_load_duration_seconds",
                "age_text_matrix_duration_seconds",
                "age_predicted_age_years_count",
                "http_server_requests_seconds_bucket")) {
            JsonNode result = query(prometheusPort, series);
            assertThat(result.path("status").asString()).as(series).isEqualTo("success");
            assertThat(result.path("data").path("result").size()).as("samples of %s", series).isPositive();
        }
        JsonNode answered = query(prometheusPort, "age_predicted_age_years_count");
        assertThat(answered.path("data").path("result").get(0).path("value").get(1).asString()).isNotEqualTo("0");
    }

    private void startPrometheus(int prometheusPort) throws IOException {
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: clip-age-predictor
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port));
        prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("prometheus.log").toFile())
                .start();
    }

    private JsonNode awaitHealthyTarget(int prometheusPort) throws Exception {
        long giveUpAt = System.nanoTime() + GIVE_UP.toNanos();
        String last = "no answer";
        while (System.nanoTime() < giveUpAt) {
            try {
                JsonNode targets = JSON.readTree(get(prometheusPort, "/api/v1/targets")).path("data").path("activeTargets");
                last = targets.toString();
                // A series appears only after a successful scrape, so "up" alone is not enough.
                if (targets.size() == 1 && targets.get(0).path("health").asString().equals("up")
                        && query(prometheusPort, "age_queue_depth").path("data").path("result").size() > 0) {
                    return targets.get(0);
                }
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            assertThat(prometheus.isAlive()).as("Prometheus is running; its log: %s",
                    Files.readString(directory.resolve("prometheus.log"))).isTrue();
            Thread.sleep(250);
        }
        return fail("Prometheus did not report a healthy scrape within " + GIVE_UP.toSeconds() + " s; targets: " + last);
    }

    private JsonNode query(int prometheusPort, String promql) throws Exception {
        return JSON.readTree(get(prometheusPort, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    private String get(int prometheusPort, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                .timeout(Duration.ofSeconds(2))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
