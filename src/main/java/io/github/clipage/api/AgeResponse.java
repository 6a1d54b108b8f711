package io.github.clipage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.clipage.prediction.AgeEstimate;
import io.github.clipage.prediction.ModelInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The response for one image.
 *
 * @param age the most probable age, as the reference predictor computes it
 * @param probability the probability of that age
 * @param expectedAge the probability-weighted mean age
 * @param interval the central interval that contains the requested share of probability
 * @param top the most probable ages, most probable first
 * @param distribution every age's probability, only when requested
 * @param model the model that answered
 * @param warning present only when the estimate should not be trusted, as with the demo model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Estimated age of the person in the image.")
public record AgeResponse(
        @Schema(description = "Most probable age in years, as the reference predictor answers.", example = "34") int age,
        @Schema(description = "Probability of that age, from 0 to 1.", example = "0.087") double probability,
        @Schema(description = "Probability-weighted mean age.", example = "35.2") double expectedAge,
        @Schema(description = "Central interval of ages that contains `level` of the probability.") IntervalDescription interval,
        @Schema(description = "The most probable ages, most probable first.") List<AgeProbability> top,
        @Schema(description = "Every age's probability, in increasing age; only with distribution=true.")
                List<AgeProbability> distribution,
        @Schema(description = "The model that computed the estimate.") ModelDescription model,
        @Schema(description = "Present when the estimate should not be trusted, such as with the demo model.",
                example = "The demo model has random weights: this age means nothing.") String warning) {

    /** Text of the warning in every response of the demo model. */
    public static final String DEMO_WARNING =
            "The demo model has random weights: this age means nothing. Configure a real CLIP model to get real ages.";

    /**
     * An age and its probability.
     *
     * @param age the age in years
     * @param probability its probability
     */
    @Schema(description = "An age and its probability.")
    public record AgeProbability(@Schema(example = "34") int age, @Schema(example = "0.087") double probability) {}

    /**
     * An interval of ages.
     *
     * @param level the share of probability the interval contains
     * @param low the first age of the interval
     * @param high the last age of the interval
     */
    @Schema(description = "Central interval of ages: the tails below low and above high each hold (1 - level) / 2.")
    public record IntervalDescription(@Schema(example = "0.8") double level, @Schema(example = "27") int low,
            @Schema(example = "45") int high) {}

    /**
     * The model behind a response.
     *
     * @param id the model id, such as {@code openai/clip-vit-base-patch32}, or {@code demo}
     * @param revision the revision on the Hugging Face Hub, absent for local folders and the demo model
     * @param demo whether this is the built-in demo model
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "The model that computed the estimate.")
    public record ModelDescription(
            @Schema(example = "openai/clip-vit-base-patch32") String id,
            @Schema(example = "main") String revision,
            @Schema(description = "True for the built-in demo model, whose ages mean nothing.", example = "false")
                    boolean demo) {}

    /** Builds the response from an estimate, the requested options and the model that made it. */
    static AgeResponse of(AgeEstimate estimate, AnswerOptions options, ModelInfo info) {
        AgeEstimate.Interval interval = estimate.interval(options.level());
        return new AgeResponse(
                estimate.age(),
                estimate.probability(),
                estimate.expectedAge(),
                new IntervalDescription(interval.level(), interval.low(), interval.high()),
                convert(estimate.top(options.top())),
                options.distribution() ? convert(estimate.distribution()) : null,
                new ModelDescription(info.id(), info.revision(), info.demo()),
                info.demo() ? DEMO_WARNING : null);
    }

    private static List<AgeProbability> convert(List<AgeEstimate.AgeProbability> ages) {
        return ages.stream().map(age -> new AgeProbability(age.age(), age.probability())).toList();
    }
}
