package io.github.clipage.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The service's own meters. Tags carry only bounded values (a rejection reason, a device name),
 * never anything taken from a request.
 */
@Component
public class ServingMetrics {

    /** Timer of one forward pass over a batch. */
    public static final String INFERENCE_DURATION = "age.inference.duration";

    /** Distribution of the number of images per forward pass. */
    public static final String BATCH_SIZE = "age.batch.size";

    /** Gauge of the images waiting for a worker. */
    public static final String QUEUE_DEPTH = "age.queue.depth";

    /** Counter of requests that got no age, tagged with {@code reason}. */
    public static final String REQUESTS_REJECTED = "age.requests.rejected";

    /** Time gauge of how long loading the weights took at start-up. */
    public static final String MODEL_LOAD_DURATION = "age.model.load.duration";

    /** Time gauge of how long encoding the prompts took at start-up. */
    public static final String TEXT_MATRIX_DURATION = "age.text.matrix.duration";

    /** Distribution of the ages returned to callers. */
    public static final String PREDICTED_AGE = "age.predicted.age";

    // Cumulative buckets every 5 years: enough to see a drift in the returned ages.
    private static final double[] AGE_BUCKETS = {5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 99};

    private final MeterRegistry registry;
    private final Timer inferenceDuration;
    private final DistributionSummary batchSize;
    private final DistributionSummary predictedAge;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final AtomicLong modelLoadNanos = new AtomicLong();
    private final AtomicLong textMatrixNanos = new AtomicLong();

    /** Registers the meters that exist from start-up, so that they are scraped at zero. */
    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.inferenceDuration = Timer.builder(INFERENCE_DURATION)
                .description("Time of one forward pass over a batch of images")
                .publishPercentileHistogram()
                .register(registry);
        this.batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("Number of images per forward pass")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(512.0)
                .register(registry);
        this.predictedAge = DistributionSummary.builder(PREDICTED_AGE)
                .description("Ages returned to callers, in years")
                .baseUnit("years")
                .serviceLevelObjectives(AGE_BUCKETS)
                .register(registry);
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(reason, Counter.builder(REQUESTS_REJECTED)
                    .description("Requests that got no age")
                    .tag("reason", reason.tagValue())
                    .register(registry));
        }
        TimeGauge.builder(MODEL_LOAD_DURATION, modelLoadNanos, TimeUnit.NANOSECONDS, AtomicLong::doubleValue)
                .description("Time taken to load the model's weights at start-up")
                .register(registry);
        TimeGauge.builder(TEXT_MATRIX_DURATION, textMatrixNanos, TimeUnit.NANOSECONDS, AtomicLong::doubleValue)
                .description("Time taken to encode the age prompts at start-up")
                .register(registry);
    }

    /** Records one forward pass over {@code size} images that took {@code nanos}. */
    public void recordBatch(int size, long nanos) {
        inferenceDuration.record(nanos, TimeUnit.NANOSECONDS);
        batchSize.record(size);
    }

    /** Counts one request that got no age. */
    public void recordRejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }

    /** Records one age returned to a caller. */
    public void recordPredictedAge(int age) {
        predictedAge.record(age);
    }

    /** Records how long loading the weights took. */
    public void recordModelLoad(Duration duration) {
        modelLoadNanos.set(duration.toNanos());
    }

    /** Records how long encoding the prompts took. */
    public void recordTextMatrix(Duration duration) {
        textMatrixNanos.set(duration.toNanos());
    }

    /**
     * Registers the queue-depth gauge. The registry keeps only a weak reference to {@code owner},
     * which must stay reachable for as long as the gauge should report.
     */
    public <T> void registerQueueDepth(T owner, ToDoubleFunction<T> depth) {
        Gauge.builder(QUEUE_DEPTH, owner, depth)
                .description("Images waiting for a worker")
                .register(registry);
    }

    /** Returns the registry, for meters registered elsewhere, such as the GPU memory gauges. */
    public MeterRegistry registry() {
        return registry;
    }
}
