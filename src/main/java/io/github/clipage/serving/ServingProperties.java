package io.github.clipage.serving;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings for how requests reach the model ({@code age.serving.*}).
 *
 * <p>The defaults suit a 2-core CPU box and stay safe on a GPU. On a CPU, libtorch already spreads one
 * forward pass over all cores, so 2 predictors are enough: one computes while the other collects
 * its next batch. A batch of at most 8 images bounds the wait of its last image to one pass over
 * 8 images. A 5 ms delay is small next to one ViT-B/32 pass on a CPU, which we estimate at tens
 * of milliseconds. A queue of 64 holds a few seconds of CPU work, which is as long as
 * a caller should wait before being told to retry; the 10 s deadline ends what waits longer. On a
 * GPU, one pass costs a few milliseconds and batches are almost free, so raise
 * {@code max-batch-size} to 32 or 64 and {@code queue-capacity} to a few hundred, and keep
 * {@code max-batch-delay} at a few milliseconds.
 *
 * @param predictors number of DJL predictors, each driven by its own worker thread
 * @param batching whether requests are grouped into batches
 * @param maxBatchSize the max number of images in one forward pass
 * @param maxBatchDelay how long a worker waits for more images after the first one of a batch
 * @param queueCapacity the max number of images waiting for a worker; more are rejected with 429
 * @param requestTimeout the deadline of a request, from its arrival in the queue to its answer;
 *     an image still queued at its deadline is dropped and answered 503
 * @param gpuMemoryFloor the free GPU memory below which the GPU health indicator reports DOWN
 */
@Validated
@ConfigurationProperties("age.serving")
public record ServingProperties(
        @Min(1) @Max(64) int predictors,
        @NotNull @Valid Batching batching,
        @Min(1) @Max(512) int maxBatchSize,
        @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 1) Duration maxBatchDelay,
        @Min(1) @Max(100_000) int queueCapacity,
        @NotNull @DurationMin(millis = 10) @DurationMax(minutes = 10) Duration requestTimeout,
        @NotNull DataSize gpuMemoryFloor) {

    /**
     * Settings of dynamic batching ({@code age.serving.batching.*}).
     *
     * @param enabled false runs every image alone, as a batch of one, with no delay
     */
    public record Batching(boolean enabled) {}

    /** Returns the max batch size in effect: 1 when batching is off. */
    public int effectiveMaxBatchSize() {
        return batching.enabled() ? maxBatchSize : 1;
    }

    /** Returns the batch delay in effect: zero when batching is off. */
    public Duration effectiveMaxBatchDelay() {
        return batching.enabled() ? maxBatchDelay : Duration.ZERO;
    }
}
