package io.github.clipage.prediction;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The sentences the image is compared with ({@code age.prompts.*}).
 *
 * @param templates sentences with {@code {age}} where the number goes; the default is the
 *     reference predictor's single template, and several are ensembled
 * @param minAge the youngest age that can be estimated
 * @param maxAge the oldest age that can be estimated
 */
@Validated
@ConfigurationProperties("age.prompts")
public record PromptProperties(@NotEmpty List<String> templates, @Min(0) @Max(150) int minAge,
        @Min(0) @Max(150) int maxAge) {

    /** Returns the prompts, checking that every template has an {@code {age}} slot and the range is ordered. */
    public AgePrompts toPrompts() {
        for (String template : templates) {
            if (!template.contains("{age}")) {
                throw new IllegalArgumentException("age.prompts.templates has \"" + template
                        + "\", which lacks the {age} slot where the number goes");
            }
        }
        if (minAge > maxAge) {
            throw new IllegalArgumentException(
                    "age.prompts.min-age (" + minAge + ") is greater than age.prompts.max-age (" + maxAge + ")");
        }
        return new AgePrompts(templates, minAge, maxAge);
    }
}
