package io.github.clipage.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /predictions}, as Cog defines it. The controller parses the JSON itself to limit its
 * size and to name each fault, so this record only describes the body in the OpenAPI document.
 *
 * @param id an optional id for the prediction, echoed in the response
 * @param input the predictor's inputs
 */
@Schema(description = "A Cog prediction request.")
public record CogPredictionRequest(
        @Schema(description = "Optional id, echoed in the response; one is generated when absent.") String id,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Input input) {

    /** A 16 x 16 PNG colour gradient, small enough to try the endpoint from Swagger UI. */
    static final String EXAMPLE_IMAGE = "data:image/png;base64,"
            + "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAABlklEQVR42hXRURVEIQhFUSMYgQhGMAIRiGCEE8EIRiACEYhABCLM"
            + "G7/ZrMt1jMEcyGAN9kAHNjgDBnfwBj6IQQ5q0IMxJnMikzXZE53Y5EyY3Mmb+CQmOalJzw8IUxBhCVtQwYQjIFzhCS6EkEIJLR9Y"
            + "zIUs1mIvdGGLs2BxF2/hi1jkoha9PrCZG9mszd7oxjZnw+Zu3sY3sclNbXp/QJmKKEvZiiqmHAXlKk9xJZRUSmn9gDENMZaxDTXM"
            + "OAbGNZ7hRhhplNH2gcM8yGEd9kEPdjgHDvfwDn6IQx7q0OcD/wK/Sr4jv9hfkG/1N/x/Fx44BCQU9Pc94zIvclmXfdGLXc79j9/L"
            + "u/glLnmpS98PPOZDHuuxH/qwx3n/5ffxHv6IRz7q0e8DznTEWc521DHn+D/KdZ7jTjjplNP+gWAGEqxgBxpYcOIf/AYv8CCCDCro"
            + "+EAyE0lWshNNLDn5P/MmL/Ekkkwq6fxAMQspVrELLaw49S/lFq/wIoosquj6QDMbaVazG22sOf2v8Dav8SaabKrp5geIAnAQC3Nf"
            + "wAAAAABJRU5ErkJggg==";

    /**
     * The predictor's inputs.
     *
     * @param image the photograph as a data URL, or as an http(s) URL when the operator enabled fetching
     */
    @Schema(description = "The predictor's inputs.")
    public record Input(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "The photograph: a data URL such as data:image/jpeg;base64,..., or an http(s) URL"
                            + " when age.remote-images.enabled is true and its host is allowed.",
                    example = EXAMPLE_IMAGE) String image) {}
}
