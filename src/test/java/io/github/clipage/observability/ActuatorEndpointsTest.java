package io.github.clipage.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clipage.serving.LoopbackHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Checks the metrics, health groups and info of the whole service with the demo model, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "age.model.id=demo")
class ActuatorEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private LoopbackHttp http;

    @BeforeEach
    void connect() {
        http = new LoopbackHttp(port);
    }

    static byte[] photo() throws IOException {
        try (InputStream in = ActuatorEndpointsTest.class.getResourceAsStream("/images/small.png")) {
            return in.readAllBytes();
        }
    }

    @Test
    void prometheusScrapeHasServiceSeries() throws Exception {
        assertThat(http.postImage("/api/v1/age", photo()).statusCode()).isEqualTo(200);
        assertThat(http.postImage("/api/v1/age", "not an image".getBytes()).statusCode()).isEqualTo(415);

        HttpResponse<String> scrape = http.get("/actuator/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain;version=0.0.4"));
        String text = scrape.body();
        assertThat(text).contains("# TYPE age_inference_duration_seconds histogram");
        assertThat(text).contains("age_inference_duration_seconds_bucket{");
        assertThat(text).contains("age_batch_size_bucket{");
        assertThat(text).contains("# TYPE age_queue_depth gauge");
        assertThat(text).contains("age_queue_depth 0.0");
        assertThat(text).contains("age_requests_rejected_total{reason=\"queue-full\"} 0.0");
        assertThat(text).contains("age_requests_rejected_total{reason=\"timeout\"} 0.0");
        assertThat(text).contains("age_requests_rejected_total{reason=\"cancelled\"} 0.0");
        assertThat(text).containsPattern("age_requests_rejected_total\\{reason=\"invalid-image\"} [1-9]");
        assertThat(text).containsPattern("age_model_load_duration_seconds [0-9.E-]+");
        assertThat(text).doesNotContain("age_model_load_duration_seconds 0.0\n");
        assertThat(text).containsPattern("age_text_matrix_duration_seconds [0-9.E-]+");
        assertThat(text).doesNotContain("age_text_matrix_duration_seconds 0.0\n");
        assertThat(text).contains("age_predicted_age_years_bucket{le=\"99.0\"}");
        assertThat(text).containsPattern("age_predicted_age_years_count [1-9]");
        assertThat(text).contains("http_server_requests_seconds_bucket{");
        // The model runs on the CPU here, so the GPU gauges must be absent.
        assertThat(text).doesNotContain("age_gpu_memory");
    }

    @Test
    void readinessIncludesModelWithDetails() throws Exception {
        HttpResponse<String> readiness = http.get("/actuator/health/readiness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(readiness.body());
        assertThat(body.path("status").asString()).isEqualTo("UP");
        JsonNode model = body.path("components").path("model");
        assertThat(model.path("status").asString()).isEqualTo("UP");
        assertThat(model.path("details").path("id").asString()).isEqualTo("demo");
        assertThat(model.path("details").path("device").asString()).isEqualTo("cpu()");
        assertThat(model.path("details").path("dtype").asString()).isEqualTo("float32");
        assertThat(model.path("details").path("prompts").asInt()).isEqualTo(99);
        assertThat(body.path("components").has("readinessState")).isTrue();
        assertThat(body.path("components").has("gpu")).isFalse();
    }

    @Test
    void livenessAndStartupGroupsAreUp() throws Exception {
        HttpResponse<String> liveness = http.get("/actuator/health/liveness");
        HttpResponse<String> startup = http.get("/actuator/health/startup");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(liveness.body()).path("status").asString()).isEqualTo("UP");
        assertThat(startup.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(startup.body()).path("components").path("model").path("status").asString())
                .isEqualTo("UP");
    }

    @Test
    void healthHasNoTokenOrModelPath() throws Exception {
        String health = http.get("/actuator/health").body();

        assertThat(health).doesNotContainIgnoringCase("token");
        assertThat(health).doesNotContain(System.getProperty("java.io.tmpdir"));
    }

    @Test
    void infoShowsModelAndBuildVersion() throws Exception {
        HttpResponse<String> info = http.get("/actuator/info");

        assertThat(info.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(info.body());
        assertThat(body.path("model").path("id").asString()).isEqualTo("demo");
        assertThat(body.path("model").path("device").asString()).isEqualTo("cpu()");
        assertThat(body.path("model").path("dtype").asString()).isEqualTo("float32");
        assertThat(body.path("model").path("prompts").asInt()).isEqualTo(99);
        assertThat(body.path("build").path("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
    }
}
