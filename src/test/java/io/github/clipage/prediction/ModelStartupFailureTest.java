package io.github.clipage.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.clipage.ClipAgePredictorApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A model that cannot be set up stops start-up with Spring Boot's failure report, not a stack trace. */
class ModelStartupFailureTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--age.model.path=/nonexistent/checkpoint | age.model.path /nonexistent/checkpoint does not exist | age.model.id=demo",
        "--age.model.device=tpu | Invalid device \"tpu\" | Correct the setting",
        "--age.model.dtype=float16 | refused on the CPU | Correct the setting",
        "--age.prompts.min-age=50 | age.prompts.min-age (50) is greater than age.prompts.max-age (10) | Correct the setting",
        "--age.prompts.templates[0]=no slot | lacks the {age} slot | Correct the setting"
    })
    void invalidModelSettingStopsStartupWithAction(String argument, String description, String action) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ClipAgePredictorApplication.class)
                .web(WebApplicationType.NONE)
                .run("--age.model.id=demo", "--age.prompts.max-age=10", argument, "--spring.main.banner-mode=off"));

        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new ModelStartupFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
        assertThat(analysis.getDescription()).contains(description);
        assertThat(analysis.getAction()).contains(action);
    }
}
