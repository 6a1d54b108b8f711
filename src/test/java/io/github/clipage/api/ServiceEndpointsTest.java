package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Actuator exposure and the OpenAPI description, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "age.model.id=demo")
class ServiceEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    RestClient client;

    @BeforeEach
    void createClient() {
        client = LoopbackRestClient.create(port);
    }

    @Test
    void healthAndProbesAreUp() {
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            ResponseEntity<String> response = get(path);
            assertThat(response.getStatusCode().value()).as(path).isEqualTo(200);
            assertThat(JSON.readTree(response.getBody()).get("status").asString()).as(path).isEqualTo("UP");
        }
    }

    @Test
    void prometheusScrapeIsTextFormat() {
        ResponseEntity<String> response = get("/actuator/prometheus");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("text/plain");
        assertThat(response.getBody()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void infoIsExposed() {
        assertThat(get("/actuator/info").getStatusCode().value()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/env", "/actuator/beans", "/actuator/heapdump", "/actuator/configprops", "/actuator/shutdown"})
    void otherActuatorEndpointsAreHidden(String path) {
        assertThat(get(path).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void openApiDescribesAgeEndpoint() {
        JsonNode document = JSON.readTree(get("/v3/api-docs").getBody());
        JsonNode operation = document.at("/paths/~1api~1v1~1age/post");

        assertThat(operation.isMissingNode()).isFalse();
        JsonNode image = operation.at("/requestBody/content/multipart~1form-data/schema/properties/image");
        assertThat(image.get("format").asString()).isEqualTo("binary");
        assertThat(operation.at("/requestBody/content/multipart~1form-data/schema/required").toString()).contains("image");
        for (String status : new String[] {"200", "400", "413", "415", "422", "429", "503"}) {
            assertThat(operation.at("/responses/" + status).isMissingNode()).as("response " + status).isFalse();
        }
        assertThat(operation.at("/responses/400/content/application~1problem+json").isMissingNode()).isFalse();
        assertThat(document.at("/components/schemas/AgeResponse/properties/age").isMissingNode()).isFalse();
        assertThat(operation.at("/responses/415/content/application~1problem+json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(document.at("/components/schemas/Problem/properties/code").isMissingNode()).isFalse();
    }

    @Test
    void swaggerUiIsServed() {
        ResponseEntity<String> response = get("/swagger-ui/index.html");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).contains("Swagger UI");
    }

    private ResponseEntity<String> get(String path) {
        return client.get().uri(path).retrieve().toEntity(String.class);
    }
}
