package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

/** The age endpoint over real HTTP, with the demo model on the real DJL engine. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "age.model.id=demo",
            "spring.servlet.multipart.max-file-size=1MB",
            "spring.servlet.multipart.max-request-size=8MB",
            "age.image.max-images-per-request=3"
        })
class AgeApiTest {

    private static final Path ASTRONAUT = Path.of("src/test/resources/images/astronaut.png");
    private static final Path LANDSCAPE_JPEG = Path.of("src/test/resources/images/landscape.jpg");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    RestClient client;

    @BeforeEach
    void createClient() {
        client = LoopbackRestClient.create(port);
    }

    @Test
    void photographGetsAgeFromDemoModel() throws Exception {
        ResponseEntity<String> response = upload("image", Files.readAllBytes(ASTRONAUT), "astronaut.png");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("age").asInt()).isBetween(1, 99);
        assertThat(body.get("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(body.at("/model/id").asString()).isEqualTo("demo");
        assertThat(body.at("/model/demo").asBoolean()).isTrue();
        assertThat(body.get("warning").asString()).contains("demo model").contains("means nothing");
    }

    @Test
    void sameImageTwiceGivesSameAnswer() throws Exception {
        byte[] photo = Files.readAllBytes(LANDSCAPE_JPEG);

        JsonNode first = JSON.readTree(upload("image", photo, "a.jpg").getBody());
        JsonNode second = JSON.readTree(upload("image", photo, "b.jpg").getBody());

        assertThat(second.get("age").asInt()).isEqualTo(first.get("age").asInt());
        assertThat(second.get("probability").asDouble()).isEqualTo(first.get("probability").asDouble());
    }

    @Test
    void missingImagePartIsBadRequest() throws Exception {
        ResponseEntity<String> response = upload("photo", Files.readAllBytes(ASTRONAUT), "astronaut.png");

        assertProblem(response, 400);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("code").asString()).isEqualTo("missing-part");
        assertThat(body.get("detail").asString()).contains("'image'").contains("curl -F image=@photo.jpg");
    }

    @Test
    void emptyImageIsBadRequest() throws Exception {
        ResponseEntity<String> response = upload("image", new byte[0], "empty.jpg");

        assertProblem(response, 400);
        assertThat(JSON.readTree(response.getBody()).get("code").asString()).isEqualTo("empty");
    }

    @Test
    void textNamedAsImageIsUnsupportedMediaType() throws Exception {
        ResponseEntity<String> response = upload("image", "<html><body>not a photo</body></html>".getBytes(), "photo.jpg");

        assertProblem(response, 415);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("code").asString()).isEqualTo("unsupported-format");
        assertThat(body.get("detail").asString()).contains("JPEG").contains("PNG");
    }

    @Test
    void truncatedJpegIsBadRequest() throws Exception {
        byte[] photo = Files.readAllBytes(LANDSCAPE_JPEG);

        ResponseEntity<String> response = upload("image", Arrays.copyOf(photo, photo.length / 2), "half.jpg");

        assertProblem(response, 400);
        assertThat(JSON.readTree(response.getBody()).get("code").asString()).isEqualTo("corrupt");
    }

    @Test
    void uploadOverLimitIsContentTooLarge() throws Exception {
        byte[] large = new byte[1536 * 1024];
        new Random(1).nextBytes(large);

        ResponseEntity<String> response = upload("image", large, "large.jpg");

        assertProblem(response, 413);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("code").asString()).isEqualTo("upload-too-large");
        assertThat(body.get("detail").asString()).contains("1 MB");
    }

    @Test
    void requestOverTotalLimitNamesThatLimit() throws Exception {
        byte[] part = new byte[950 * 1024];
        new Random(2).nextBytes(part);

        ResponseEntity<String> response = uploadTo("/api/v1/ages", java.util.Collections.nCopies(9, part));

        assertProblem(response, 413);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("code").asString()).isEqualTo("request-too-large");
        assertThat(body.get("detail").asString()).contains("8 MB").contains("max-request-size");
    }

    @Test
    void longFileNameIsAccepted() throws Exception {
        ResponseEntity<String> response = upload("image", Files.readAllBytes(ASTRONAUT), "a".repeat(450) + ".png");

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    }

    @Test
    void nonNumericParameterIsInvalidRequest() throws Exception {
        ResponseEntity<String> response = uploadTo("/api/v1/age?top=abc", List.of(Files.readAllBytes(ASTRONAUT)));

        assertProblem(response, 400);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("code").asString()).isEqualTo("invalid-request");
        assertThat(body.get("detail").asString()).contains("top").contains("abc");
    }

    @Test
    void jsonBodyIsUnsupportedMediaType() {
        ResponseEntity<String> response = client.post().uri("/api/v1/age")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"image\": \"x\"}")
                .retrieve()
                .toEntity(String.class);

        assertProblem(response, 415);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("code").asString()).isEqualTo("unsupported-media-type");
        assertThat(body.get("detail").asString()).contains("multipart/form-data");
    }

    @Test
    void answerHasExpectedAgeIntervalAndTopFive() throws Exception {
        JsonNode body = JSON.readTree(upload("image", Files.readAllBytes(ASTRONAUT), "astronaut.png").getBody());

        assertThat(body.get("expectedAge").asDouble()).isBetween(1.0, 99.0);
        assertThat(body.at("/interval/level").asDouble()).isEqualTo(0.8);
        assertThat(body.at("/interval/low").asInt()).isBetween(1, body.at("/interval/high").asInt());
        assertThat(body.at("/interval/high").asInt()).isLessThanOrEqualTo(99);
        assertThat(body.get("top")).hasSize(5);
        assertThat(body.at("/top/0/age").asInt()).isEqualTo(body.get("age").asInt());
        assertThat(body.at("/top/0/probability").asDouble()).isGreaterThanOrEqualTo(body.at("/top/1/probability").asDouble());
        assertThat(body.has("distribution")).isFalse();
    }

    @Test
    void distributionIsListedOnRequest() throws Exception {
        JsonNode body = JSON.readTree(uploadTo("/api/v1/age?top=3&level=0.5&distribution=true",
                List.of(Files.readAllBytes(ASTRONAUT))).getBody());

        assertThat(body.get("top")).hasSize(3);
        assertThat(body.at("/interval/level").asDouble()).isEqualTo(0.5);
        JsonNode distribution = body.get("distribution");
        assertThat(distribution).hasSize(99);
        double sum = 0;
        for (int i = 0; i < 99; i++) {
            assertThat(distribution.get(i).get("age").asInt()).isEqualTo(i + 1);
            sum += distribution.get(i).get("probability").asDouble();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void invalidParametersAreBadRequest() throws Exception {
        byte[] photo = Files.readAllBytes(ASTRONAUT);
        for (String query : List.of("top=0", "top=100", "level=1.5", "level=0")) {
            ResponseEntity<String> response = uploadTo("/api/v1/age?" + query, List.of(photo));
            assertProblem(response, 400);
            JsonNode body = JSON.readTree(response.getBody());
            assertThat(body.get("code").asString()).as(query).isEqualTo("invalid-request");
            assertThat(body.get("detail").asString()).as(query).contains(query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    void twoImagePartsToSingleEndpointAreBadRequest() throws Exception {
        byte[] photo = Files.readAllBytes(ASTRONAUT);

        ResponseEntity<String> response = uploadTo("/api/v1/age", List.of(photo, photo));

        assertProblem(response, 400);
        assertThat(JSON.readTree(response.getBody()).get("detail").asString()).contains("/api/v1/ages");
    }

    @Test
    void batchAnswersEachImageInOrder() throws Exception {
        byte[] astronaut = Files.readAllBytes(ASTRONAUT);
        int singleAge = JSON.readTree(upload("image", astronaut, "astronaut.png").getBody()).get("age").asInt();

        ResponseEntity<String> response = uploadTo("/api/v1/ages",
                List.of(astronaut, "<html>not an image</html>".getBytes(), Files.readAllBytes(LANDSCAPE_JPEG)));

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode items = JSON.readTree(response.getBody());
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("index").asInt()).isEqualTo(0);
        assertThat(items.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(items.get(0).at("/result/age").asInt()).isEqualTo(singleAge);
        assertThat(items.get(1).get("status").asInt()).isEqualTo(415);
        assertThat(items.get(1).at("/problem/code").asString()).isEqualTo("unsupported-format");
        assertThat(items.get(1).has("result")).isFalse();
        assertThat(items.get(2).get("status").asInt()).isEqualTo(200);
        assertThat(items.get(2).at("/result/age").asInt()).isBetween(1, 99);
    }

    @Test
    void batchOverImageLimitIsBadRequest() throws Exception {
        byte[] photo = Files.readAllBytes(LANDSCAPE_JPEG);

        ResponseEntity<String> response = uploadTo("/api/v1/ages", List.of(photo, photo, photo, photo));

        assertProblem(response, 400);
        assertThat(JSON.readTree(response.getBody()).get("detail").asString()).contains("4 image parts").contains("limit is 3");
    }

    private ResponseEntity<String> uploadTo(String path, List<byte[]> images) {
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        for (int i = 0; i < images.size(); i++) {
            HttpHeaders partHeaders = new HttpHeaders();
            partHeaders.setContentType(MediaType.APPLICATION_OCTET_STREAM);
            partHeaders.setContentDispositionFormData("image", "image" + i);
            body.add("image", new HttpEntity<>(new ByteArrayResource(images.get(i)), partHeaders));
        }
        return client.post().uri(path)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(body)
                .retrieve()
                .toEntity(String.class);
    }

    private ResponseEntity<String> upload(String partName, byte[] bytes, String fileName) {
        HttpHeaders partHeaders = new HttpHeaders();
        partHeaders.setContentType(MediaType.IMAGE_JPEG);
        partHeaders.setContentDispositionFormData(partName, fileName);
        MultiValueMap<String, Object> body = new LinkedMultiValueMap<>();
        body.add(partName, new HttpEntity<>(new ByteArrayResource(bytes), partHeaders));
        return client.post().uri("/api/v1/age")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(body)
                .retrieve()
                .toEntity(String.class);
    }

    private static void assertProblem(ResponseEntity<String> response, int status) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asString()).isNotBlank();
        assertThat(body.get("detail").asString()).isNotBlank();
    }
}
