package io.github.clipage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The response body of {@code GET /health-check}, in the shape of Cog's HTTP API.
 *
 * @param status {@code STARTING} until the application is ready, then {@code READY}
 * @param setup when start-up, model loading included, began and ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Readiness in the shape of Cog's health check.")
public record CogHealth(
        @Schema(allowableValues = {"STARTING", "READY"}, example = "READY") String status,
        Setup setup) {

    /**
     * The set-up phase: Spring start-up, which loads the model and computes the text matrix.
     *
     * @param startedAt when the application context began to start
     * @param completedAt when the application became ready; absent before
     * @param status {@code starting}, then {@code succeeded}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "The set-up phase: start-up, model loading and text matrix included.")
    public record Setup(
            @JsonProperty("started_at") @Schema(example = "2025-01-01T12:00:00.000000+00:00") String startedAt,
            @JsonProperty("completed_at") @Schema(example = "2025-01-01T12:00:09.500000+00:00") String completedAt,
            @Schema(allowableValues = {"starting", "succeeded"}, example = "succeeded") String status) {}
}
