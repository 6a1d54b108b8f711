package io.github.clipage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A prediction in the shape of Cog's HTTP API: {@code succeeded} with the age as {@code output}, or {@code failed}
 * with the reason as {@code error}.
 *
 * @param id the request's {@code id} when it has one, otherwise one generated for this prediction
 * @param status {@code succeeded} or {@code failed}
 * @param output the most probable age as an integer, as the old predictor returned it; absent when failed
 * @param error what went wrong; absent when succeeded
 * @param logs notes about the prediction, such as the demo model's warning; empty when there are none
 * @param metrics the time the prediction took; absent when it failed before running
 * @param createdAt when the request arrived
 * @param startedAt when the request body had been read and work on the image began
 * @param completedAt when the response was ready
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "status", "output", "error", "logs", "metrics", "created_at", "started_at", "completed_at"})
@Schema(description = "A prediction in the shape of Cog's HTTP API.")
public record CogPrediction(
        @Schema(example = "c0ggw9k4hxd6f5pbbn3r1m2t7a") String id,
        @Schema(allowableValues = {"succeeded", "failed"}, example = "succeeded") String status,
        @Schema(description = "Most probable age in years, from 1 to 99; absent when failed.", example = "34") Integer output,
        @Schema(description = "Why the prediction failed; absent when it succeeded.") String error,
        @Schema(description = "Notes about the prediction, such as the demo model's warning.", example = "") String logs,
        @Schema(description = "Absent when the prediction failed before it ran.") Metrics metrics,
        @JsonProperty("created_at") @Schema(example = "2025-01-01T12:00:00.000000+00:00") String createdAt,
        @JsonProperty("started_at") @Schema(example = "2025-01-01T12:00:00.001000+00:00") String startedAt,
        @JsonProperty("completed_at") @Schema(example = "2025-01-01T12:00:00.051000+00:00") String completedAt) {

    /** Value of {@code status} for a prediction with an output. */
    public static final String SUCCEEDED = "succeeded";

    /** Value of {@code status} for a prediction that failed. */
    public static final String FAILED = "failed";

    // Cog writes timestamps with microseconds and an explicit UTC offset.
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    /**
     * Prediction metrics.
     *
     * @param predictTime the seconds from {@code started_at} to {@code completed_at}
     */
    @Schema(description = "Prediction metrics.")
    public record Metrics(@JsonProperty("predict_time") @Schema(example = "0.05") double predictTime) {}

    /** Builds a succeeded prediction. */
    public static CogPrediction succeeded(String id, int age, String logs, Instant createdAt, Instant startedAt,
            Instant completedAt) {
        return new CogPrediction(id, SUCCEEDED, age, null, logs, metrics(startedAt, completedAt), format(createdAt),
                format(startedAt), format(completedAt));
    }

    /** Builds a failed prediction; {@code startedAt} is null when it failed before work on the image began. */
    public static CogPrediction failed(String id, String error, Instant createdAt, Instant startedAt, Instant completedAt) {
        Metrics metrics = startedAt == null ? null : metrics(startedAt, completedAt);
        return new CogPrediction(id, FAILED, null, error, "", metrics, format(createdAt), format(startedAt),
                format(completedAt));
    }

    private static Metrics metrics(Instant startedAt, Instant completedAt) {
        long nanos = Duration.between(startedAt, completedAt).toNanos();
        return new Metrics(nanos / 1e9);
    }

    /** Formats an instant as Cog does, such as {@code 2025-01-01T12:00:00.000000+00:00}; null stays null. */
    static String format(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }
}
