package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Cog-compatible endpoints over real HTTP, with the demo model on the real DJL engine. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"age.model.id=demo", "spring.servlet.multipart.max-file-size=1MB"})
class CogApiTest {

    private static final Path ASTRONAUT = Path.of("src/test/resources/images/astronaut.png");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    RestClient client;

    @BeforeEach
    void createClient() {
        client = LoopbackRestClient.create(port);
    }

    @Test
    void dataUrlGetsSameAgeAsRestApi() throws Exception {
        byte[] photo = Files.readAllBytes(ASTRONAUT);

        ResponseEntity<String> response = predict(imageBody(dataUrl("image/png", photo)));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("status").asString()).isEqualTo("succeeded");
        assertThat(body.get("output").isInt()).isTrue();
        assertThat(body.get("output").asInt()).isBetween(1, 99);
        assertThat(body.get("output").asInt()).isEqualTo(restAge(photo));
        assertThat(body.has("error")).isFalse();
        assertThat(body.at("/metrics/predict_time").asDouble()).isGreaterThan(0.0);
        assertThat(body.get("logs").asString()).contains("demo model");
        assertThat(body.get("id").asString()).matches("[a-z2-7]{26}");
        OffsetDateTime created = OffsetDateTime.parse(body.get("created_at").asString());
        OffsetDateTime completed = OffsetDateTime.parse(body.get("completed_at").asString());
        assertThat(completed).isAfterOrEqualTo(created);
        assertThat(body.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    }

    @Test
    void requestIdIsEchoed() throws Exception {
        String request = "{\"id\": \"my-prediction-1\", \"input\": {\"image\": \""
                + dataUrl("image/png", Files.readAllBytes(ASTRONAUT)) + "\"}}";

        JsonNode body = JSON.readTree(predict(request).getBody());

        assertThat(body.get("id").asString()).isEqualTo("my-prediction-1");
        assertThat(body.get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void openApiExampleImageSucceeds() {
        ResponseEntity<String> response = predict(imageBody(CogPredictionRequest.EXAMPLE_IMAGE));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        assertThat(JSON.readTree(response.getBody()).get("output").asInt()).isBetween(1, 99);
    }

    @Test
    void missingInputFails() {
        assertFailed(predict("{\"image\": \"data:image/png;base64,AAAA\"}"), 400, "no input");
    }

    @Test
    void missingImageFails() {
        assertFailed(predict("{\"input\": {\"photo\": \"data:image/png;base64,AAAA\"}}"), 400, "no input.image");
    }

    @Test
    void nonStringImageFails() {
        assertFailed(predict("{\"input\": {\"image\": 42}}"), 400, "must be a string");
    }

    @Test
    void bodyThatIsNotJsonFails() {
        assertFailed(predict("image=data:image/png;base64,AAAA"), 400, "not valid JSON");
    }

    @Test
    void bodyThatIsJsonArrayFails() {
        assertFailed(predict("[{\"input\": {}}]"), 400, "must be a JSON object");
    }

    @Test
    void emptyImageStringFails() {
        assertFailed(predict(imageBody("")), 400, "input.image is empty");
    }

    @Test
    void multipartUploadFailsWithHint() {
        org.springframework.util.LinkedMultiValueMap<String, Object> form = new org.springframework.util.LinkedMultiValueMap<>();
        form.add("image", new org.springframework.core.io.ByteArrayResource(new byte[] {1, 2, 3}) {
            @Override
            public String getFilename() {
                return "photo.png";
            }
        });
        ResponseEntity<String> response = client.post().uri("/predictions")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(form)
                .retrieve()
                .toEntity(String.class);

        assertFailed(response, 415, "use POST /api/v1/age");
    }

    @Test
    void emptyBodyFails() {
        assertFailed(predict(""), 400, "empty");
    }

    @Test
    void plainStringImageFails() {
        assertFailed(predict(imageBody("/home/user/photo.jpg")), 400, "must be a data URL");
    }

    @Test
    void invalidBase64Fails() {
        assertFailed(predict(imageBody("data:image/png;base64,iVBORw0K*GgoAAAANSUhEUg")), 400, "base64");
    }

    @Test
    void dataUrlOfTextFails() {
        String text = dataUrl("text/plain", "<html><body>not a photo</body></html>".getBytes(StandardCharsets.UTF_8));

        assertFailed(predict(imageBody(text)), 415, "not a supported image");
    }

    @Test
    void truncatedImageFails() throws Exception {
        byte[] photo = Files.readAllBytes(ASTRONAUT);
        byte[] half = java.util.Arrays.copyOf(photo, photo.length / 2);

        assertFailed(predict(imageBody(dataUrl("image/png", half))), 400, "PNG");
    }

    @Test
    void dataUrlOverLimitFails() {
        byte[] large = new byte[1536 * 1024];
        new Random(1).nextBytes(large);

        assertFailed(predict(imageBody(dataUrl("image/jpeg", large))), 413, "larger than the limit");
    }

    @Test
    void imageOverLimitWithinBodyLimitFails() {
        // 1 MB + 1 byte encodes to a text within the body limit, so the data URL check rejects it.
        byte[] large = new byte[1024 * 1024 + 1];

        assertFailed(predict(imageBody(dataUrl("image/jpeg", large))), 413, "1048576 bytes");
    }

    @Test
    void httpUrlIsRejectedWhenDisabled() {
        ResponseEntity<String> response = predict(imageBody("http://127.0.0.1:" + port + "/health-check"));

        assertFailed(response, 400, "disabled");
        assertThat(JSON.readTree(response.getBody()).get("error").asString()).contains("age.remote-images.enabled=true");
    }

    @Test
    void healthCheckIsReady() {
        ResponseEntity<String> response = client.get().uri("/health-check").retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("status").asString()).isEqualTo("READY");
        assertThat(body.at("/setup/status").asString()).isEqualTo("succeeded");
        OffsetDateTime started = OffsetDateTime.parse(body.at("/setup/started_at").asString());
        OffsetDateTime completed = OffsetDateTime.parse(body.at("/setup/completed_at").asString());
        assertThat(completed).isAfter(started);
    }

    @Test
    void openApiDescribesCogEndpoints() {
        JsonNode document = JSON.readTree(client.get().uri("/v3/api-docs").retrieve().body(String.class));

        JsonNode predictions = document.at("/paths/~1predictions/post");
        assertThat(predictions.isMissingNode()).isFalse();
        JsonNode requestBody = predictions.at("/requestBody/content/application~1json");
        assertThat(requestBody.at("/schema/$ref").asString()).endsWith("/CogPredictionRequest");
        assertThat(requestBody.at("/examples/data URL/value").toString()).contains("data:image/png;base64,");
        for (String status : new String[] {"200", "400", "413", "415", "422", "503"}) {
            assertThat(predictions.at("/responses/" + status).isMissingNode()).as("response " + status).isFalse();
        }
        assertThat(document.at("/components/schemas/CogPrediction/properties/output").isMissingNode()).isFalse();
        assertThat(document.at("/components/schemas/CogPredictionRequest/properties/input").isMissingNode()).isFalse();
        assertThat(document.at("/paths/~1health-check/get/responses/200").isMissingNode()).isFalse();
    }

    private int restAge(byte[] photo) {
        HttpHeaders partHeaders = new HttpHeaders();
        partHeaders.setContentType(MediaType.IMAGE_PNG);
        partHeaders.setContentDispositionFormData("image", "astronaut.png");
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add("image", new HttpEntity<>(new ByteArrayResource(photo), partHeaders));
        String answer = client.post().uri("/api/v1/age")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(body)
                .retrieve()
                .body(String.class);
        return JSON.readTree(answer).get("age").asInt();
    }

    private ResponseEntity<String> predict(String json) {
        return client.post().uri("/predictions")
                .contentType(MediaType.APPLICATION_JSON)
                .body(json)
                .retrieve()
                .toEntity(String.class);
    }

    static String imageBody(String image) {
        return "{\"input\": {\"image\": \"" + image + "\"}}";
    }

    static String dataUrl(String mediaType, byte[] bytes) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    static void assertFailed(ResponseEntity<String> response, int status, String errorPart) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("status").asString()).isEqualTo("failed");
        assertThat(body.get("error").asString()).contains(errorPart);
        assertThat(body.has("output")).isFalse();
        assertThat(body.get("id").asString()).isNotBlank();
    }
}
