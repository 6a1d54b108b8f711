package io.github.clipage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.clipage.prediction.AgeEstimate;
import io.github.clipage.prediction.ModelInfo;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answer for one image.
 *
 * @param age the most probable age, as the reference predictor computes it
 * @param probability the probability of that age
 * @param model the model that answered
 * @param warning present only when the answer should not be trusted, as with the demo model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Estimated age of the person in the image.")
public record AgeResponse(
        @Schema(description = "Most probable age in years, from 1 to 99.", example = "34") int age,
        @Schema(description = "Probability of that age among all 99, from 0 to 1.", example = "0.087") double probability,
        @Schema(description = "The model that computed the answer.") ModelDescription model,
        @Schema(description = "Present when the answer should not be trusted, such as with the demo model.",
                example = "The demo model has random weights: this age means nothing.") String warning) {

    /** Text of the warning that comes with every answer of the demo model. */
    public static final String DEMO_WARNING =
            "The demo model has random weights: this age means nothing. Configure a real CLIP model to get real ages.";

    /**
     * The model behind an answer.
     *
     * @param id the model id, such as {@code openai/clip-vit-base-patch32}, or {@code demo}
     * @param revision the revision on the Hugging Face Hub, absent for local folders and the demo model
     * @param demo whether this is the built-in demo model
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "The model that computed the answer.")
    public record ModelDescription(
            @Schema(example = "openai/clip-vit-base-patch32") String id,
            @Schema(example = "main") String revision,
            @Schema(description = "True for the built-in demo model, whose ages mean nothing.") boolean demo) {}

    /** Builds the answer from an estimate and the model that made it. */
    public static AgeResponse of(AgeEstimate estimate, ModelInfo info) {
        return new AgeResponse(
                estimate.age(),
                estimate.probability(),
                new ModelDescription(info.id(), info.revision(), info.demo()),
                info.demo() ? DEMO_WARNING : null);
    }
}
