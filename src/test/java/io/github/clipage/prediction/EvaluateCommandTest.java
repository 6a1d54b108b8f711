package io.github.clipage.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evaluate command end to end with the demo model: its report must agree with the ages that the running
 * service returns over HTTP for the same files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "age.model.id=demo")
class EvaluateCommandTest {

    private static final Path UTKFACE = Path.of("src/test/resources/labelled/utkface");
    private static final Path CSV_FOLDER = Path.of("src/test/resources/labelled/csv");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @TempDir
    Path temp;

    RestClient client;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A labelled file's true age and the ages the service returned for it. */
    record ServiceAnswer(double trueAge, int age, double expectedAge) {}

    @BeforeEach
    void createClient() {
        client = RestClient.builder().baseUrl("http://127.0.0.1:" + port).build();
    }

    @Test
    void serviceDoesNotRunEvaluateCommand() {
        assertThat(context.getBeansOfType(EvaluateCommand.class)).isEmpty();
    }

    @Test
    void utkFaceFolderReportMatchesServiceAges() throws Exception {
        Path output = temp.resolve("report.json");

        int exitCode = evaluate("--folder", UTKFACE.toString(), "--output", output.toString());

        assertThat(exitCode).as(stderr()).isEqualTo(EvaluateCommand.EXIT_OK);
        JsonNode report = JSON.readTree(Files.readString(output));
        assertThat(report.get("images").asInt()).isEqualTo(6);
        assertThat(report.get("skipped").asInt()).isEqualTo(2);
        assertThat(skipped(report)).containsExactly(
                "45_1_2_20170104000000000.jpg: UNDECODABLE",
                "astronaut.jpg: UNLABELLED");
        assertThat(report.at("/model/id").asString()).isEqualTo("demo");
        assertThat(report.at("/model/demo").asBoolean()).isTrue();
        assertThat(report.at("/prompts/templates/0").asString()).isEqualTo(AgePrompts.REFERENCE_TEMPLATE);

        Map<String, ServiceAnswer> answers = askService(UTKFACE, Map.of(
                "7_0_0_20170110215648859.jpg.chip.jpg", 7.0,
                "26_1_0_20170116171048269.jpg", 26.0,
                "29_1_1_20170117192341235.jpg", 29.0,
                "34_0_1_20170113134010912.jpg", 34.0,
                "58_1_3_20170119180437581.jpg.chip.jpg", 58.0,
                "81_0_0_20170111210000001.png", 81.0));
        assertMetricsMatch(report, new ArrayList<>(answers.values()));

        assertThat(decades(report)).containsExactly("0-9: 1", "20-29: 2", "30-39: 1", "50-59: 1", "80-89: 1");
        List<ServiceAnswer> twenties = List.of(answers.get("26_1_0_20170116171048269.jpg"),
                answers.get("29_1_1_20170117192341235.jpg"));
        assertThat(report.at("/decades/1/ageMae").asDouble()).isEqualTo(meanAgeError(twenties));

        String text = stdout();
        assertThat(text).contains("Images: 6 estimated, 2 skipped");
        assertThat(text).contains("skipped 45_1_2_20170104000000000.jpg: undecodable image (The bytes are not");
        assertThat(text).contains("skipped astronaut.jpg: unlabelled");
        assertThat(text).contains("  this person is {age} years old");
    }

    @Test
    void csvLabelsReportMatchesServiceAges() throws Exception {
        Path output = temp.resolve("report.json");

        int exitCode = evaluate("--folder", CSV_FOLDER.toString(), "--labels", CSV_FOLDER.resolve("ages.csv").toString(),
                "--output=" + output);

        assertThat(exitCode).as(stderr()).isEqualTo(EvaluateCommand.EXIT_OK);
        JsonNode report = JSON.readTree(Files.readString(output));
        assertThat(report.get("images").asInt()).isEqualTo(3);
        assertThat(skipped(report)).containsExactly(
                "broken.jpg: UNDECODABLE",
                "extra.jpg: UNLABELLED",
                "gone.jpg: MISSING");

        Map<String, ServiceAnswer> answers = askService(CSV_FOLDER, Map.of(
                "anna.jpg", 12.0,
                "ben.png", 47.5,
                "nested/carla.jpg", 63.0));
        assertMetricsMatch(report, new ArrayList<>(answers.values()));
        assertThat(decades(report)).containsExactly("10-19: 1", "40-49: 1", "60-69: 1");
    }

    @Test
    void missingFolderOptionIsUsageError() {
        int exitCode = evaluate("--age.model.id=demo");

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_USAGE);
        assertThat(stderr()).contains("Missing --folder").contains("Usage: java -jar app.jar evaluate");
    }

    @Test
    void nonexistentFolderIsUsageError() {
        int exitCode = evaluate("--folder", temp.resolve("absent").toString());

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_USAGE);
        assertThat(stderr()).contains("absent does not exist or is not a directory");
    }

    @Test
    void folderWithoutLabelledImageIsUsageError() throws Exception {
        Files.write(temp.resolve("holiday.jpg"), Files.readAllBytes(UTKFACE.resolve("astronaut.jpg")));

        int exitCode = evaluate("--folder", temp.toString());

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_USAGE);
        assertThat(stderr()).contains("No labelled image in " + temp).contains("1 files skipped");
    }

    @Test
    void undecodableLabelledFilesAreUsageError() throws Exception {
        Files.writeString(temp.resolve("30_0_0_1.jpg"), "not an image");

        int exitCode = evaluate("--folder", temp.toString());

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_USAGE);
        assertThat(stderr()).contains("could be decoded");
    }

    @Test
    void invalidLabelsFileIsUsageError() throws Exception {
        Path labels = temp.resolve("labels.csv");
        Files.writeString(labels, "name,age\na.jpg,3\n");

        int exitCode = evaluate("--folder", temp.toString(), "--labels", labels.toString());

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_USAGE);
        assertThat(stderr()).contains("line 1").contains("file and age");
    }

    @Test
    void positionalArgumentIsUsageError() {
        int exitCode = evaluate("--folder", UTKFACE.toString(), "demo");

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_USAGE);
        assertThat(stderr()).contains("Unexpected argument \"demo\"");
    }

    @Test
    void optionWithoutValueIsUsageError() {
        int exitCode = evaluate("--folder");

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_USAGE);
        assertThat(stderr()).contains("--folder needs a value");
    }

    @Test
    void helpPrintsUsage() {
        int exitCode = evaluate("--help");

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_OK);
        assertThat(stdout()).contains("--labels FILE.csv");
    }

    @Test
    void unknownModelFolderFailsToStart() {
        int exitCode = evaluate("--folder", UTKFACE.toString(), "--age.model.path=/nonexistent/checkpoint");

        assertThat(exitCode).isEqualTo(EvaluateCommand.EXIT_FAILURE);
    }

    private int evaluate(String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.add("--age.model.id=demo");
        return EvaluateCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Map<String, ServiceAnswer> askService(Path folder, Map<String, Double> trueAges) throws Exception {
        Map<String, ServiceAnswer> answers = new LinkedHashMap<>();
        for (Map.Entry<String, Double> entry : trueAges.entrySet()) {
            JsonNode body = JSON.readTree(upload(Files.readAllBytes(folder.resolve(entry.getKey())), entry.getKey()));
            answers.put(entry.getKey(),
                    new ServiceAnswer(entry.getValue(), body.get("age").asInt(), body.get("expectedAge").asDouble()));
        }
        return answers;
    }

    private String upload(byte[] bytes, String fileName) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        HttpHeaders headers = new HttpHeaders();
        headers.setContentDispositionFormData("image", fileName);
        parts.add("image", new org.springframework.http.HttpEntity<>(new ByteArrayResource(bytes), headers));
        ResponseEntity<String> response = client.post().uri("/api/v1/age")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(parts)
                .retrieve()
                .toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return response.getBody();
    }

    private static void assertMetricsMatch(JsonNode report, List<ServiceAnswer> answers) {
        double expectedAgeErrors = 0;
        int within = 0;
        for (ServiceAnswer answer : answers) {
            expectedAgeErrors += Math.abs(answer.expectedAge() - answer.trueAge());
            if (Math.abs(answer.age() - answer.trueAge()) <= 5) {
                within++;
            }
        }
        assertThat(report.get("ageMae").asDouble()).isEqualTo(meanAgeError(answers));
        // The command batches its images and the service answered them one by one; a batched matrix
        // product sums in another order, which moves the probabilities by about 1e-7.
        assertThat(report.get("expectedAgeMae").asDouble()).isCloseTo(expectedAgeErrors / answers.size(), within(1e-4));
        assertThat(report.get("withinFiveYears").asDouble()).isEqualTo((double) within / answers.size());
    }

    private static double meanAgeError(List<ServiceAnswer> answers) {
        double sum = 0;
        for (ServiceAnswer answer : answers) {
            sum += Math.abs(answer.age() - answer.trueAge());
        }
        return sum / answers.size();
    }

    private static List<String> skipped(JsonNode report) {
        List<String> skipped = new ArrayList<>();
        for (JsonNode file : report.get("skippedFiles")) {
            skipped.add(file.get("file").asString() + ": " + file.get("reason").asString());
        }
        return skipped;
    }

    private static List<String> decades(JsonNode report) {
        List<String> decades = new ArrayList<>();
        for (JsonNode decade : report.get("decades")) {
            decades.add(decade.get("from").asInt() + "-" + decade.get("to").asInt() + ": " + decade.get("images").asInt());
        }
        return decades;
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
