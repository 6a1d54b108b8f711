package io.github.clipage.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clipage.observability.ServingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class InferenceQueueTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServingMetrics metrics = new ServingMetrics(registry);
    private final HoldingPredictor predictor = new HoldingPredictor(true);
    private InferenceQueue<Float, Float> queue;

    @AfterEach
    void closeQueue() {
        predictor.release();
        if (queue != null) {
            queue.close();
        }
    }

    private static ServingProperties settings(boolean batching, int maxBatchSize, Duration maxBatchDelay, int capacity,
            Duration requestTimeout) {
        return new ServingProperties(1, new ServingProperties.Batching(batching), maxBatchSize, maxBatchDelay, capacity,
                requestTimeout, DataSize.ofMegabytes(256));
    }

    private void start(ServingProperties properties) {
        queue = new InferenceQueue<>(properties, () -> predictor, metrics);
    }

    private double rejected(String reason) {
        return registry.get(ServingMetrics.REQUESTS_REJECTED).tag("reason", reason).counter().count();
    }

    private void awaitDepth(int depth) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queue.depth() != depth) {
            assertThat(System.nanoTime()).as("queue depth %d within 10 s", depth).isLessThan(giveUp);
            Thread.sleep(5);
        }
    }

    @Test
    void queuedRequestsRunAsOneBatch() throws Exception {
        start(settings(true, 8, Duration.ofMillis(5), 16, Duration.ofSeconds(10)));
        CompletableFuture<Float> first = queue.submit(1f);
        predictor.awaitStarted();
        List<CompletableFuture<Float>> waiting = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            waiting.add(queue.submit((float) i));
        }

        predictor.release();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2f);
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(2f * (i + 2));
        }
        assertThat(predictor.batches()).containsExactly(List.of(1f), List.of(2f, 3f, 4f, 5f, 6f));
        assertThat(registry.get(ServingMetrics.BATCH_SIZE).summary().count()).isEqualTo(2);
        assertThat(registry.get(ServingMetrics.BATCH_SIZE).summary().totalAmount()).isEqualTo(6);
        assertThat(registry.get(ServingMetrics.INFERENCE_DURATION).timer().count()).isEqualTo(2);
    }

    @Test
    void batchNeverExceedsMaxBatchSize() throws Exception {
        start(settings(true, 2, Duration.ofMillis(5), 16, Duration.ofSeconds(10)));
        CompletableFuture<Float> first = queue.submit(1f);
        predictor.awaitStarted();
        List<CompletableFuture<Float>> waiting = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            waiting.add(queue.submit((float) i));
        }

        predictor.release();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Float> future : waiting) {
            future.get(10, TimeUnit.SECONDS);
        }

        assertThat(predictor.batches()).containsExactly(List.of(1f), List.of(2f, 3f), List.of(4f, 5f), List.of(6f));
    }

    @Test
    void workerWaitsMaxBatchDelayForMoreRequests() throws Exception {
        predictor.release();
        start(settings(true, 8, Duration.ofMillis(500), 16, Duration.ofSeconds(10)));

        CompletableFuture<Float> first = queue.submit(1f);
        Thread.sleep(50);
        CompletableFuture<Float> second = queue.submit(2f);

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2f);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(4f);
        assertThat(predictor.batches()).containsExactly(List.of(1f, 2f));
    }

    @Test
    void disabledBatchingRunsEachRequestAlone() throws Exception {
        start(settings(false, 8, Duration.ofMillis(500), 16, Duration.ofSeconds(10)));
        CompletableFuture<Float> first = queue.submit(1f);
        predictor.awaitStarted();
        CompletableFuture<Float> second = queue.submit(2f);
        CompletableFuture<Float> third = queue.submit(3f);

        predictor.release();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        third.get(10, TimeUnit.SECONDS);

        assertThat(predictor.batches()).containsExactly(List.of(1f), List.of(2f), List.of(3f));
    }

    @Test
    void fullQueueRejectsAtOnce() throws Exception {
        start(settings(true, 8, Duration.ZERO, 2, Duration.ofSeconds(10)));
        queue.submit(1f);
        predictor.awaitStarted();
        queue.submit(2f);
        queue.submit(3f);

        long start = System.nanoTime();
        assertThatThrownBy(() -> queue.submit(4f))
                .isInstanceOf(QueueFullException.class)
                .hasMessage("All 2 places in the request queue are taken");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
        assertThat(rejected("queue-full")).isEqualTo(1);
        assertThat(queue.depth()).isEqualTo(2);
    }

    @Test
    void expiredRequestIsNeverComputed() throws Exception {
        start(settings(true, 8, Duration.ZERO, 4, Duration.ofMillis(300)));
        queue.submit(1f);
        predictor.awaitStarted();

        long start = System.nanoTime();
        assertThatThrownBy(() -> queue.call(2f))
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessage("The request was not computed within its deadline of 300 ms");
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(waited).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        assertThat(queue.depth()).isZero();
        predictor.release();
        CompletableFuture<Float> later = queue.submit(3f);
        assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo(6f);
        assertThat(predictor.computedInputs()).containsExactly(1f, 3f);
        assertThat(rejected("timeout")).isEqualTo(1);
    }

    @Test
    void workerDropsExpiredRequestItTakesFromQueue() throws Exception {
        start(settings(true, 8, Duration.ZERO, 4, Duration.ofMillis(200)));
        queue.submit(1f);
        predictor.awaitStarted();
        CompletableFuture<Float> expiring = queue.submit(2f);

        Thread.sleep(300);
        predictor.release();

        assertThatThrownBy(() -> expiring.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RequestTimeoutException.class);
        assertThat(predictor.computedInputs()).containsExactly(1f);
    }

    @Test
    void cancelledRequestLeavesQueueAndIsNeverComputed() throws Exception {
        start(settings(true, 8, Duration.ZERO, 4, Duration.ofSeconds(10)));
        queue.submit(1f);
        predictor.awaitStarted();
        CompletableFuture<Float> cancelled = queue.submit(2f);
        CompletableFuture<Float> remaining = queue.submit(3f);

        cancelled.cancel(true);

        assertThat(queue.depth()).isEqualTo(1);
        assertThat(rejected("cancelled")).isEqualTo(1);
        predictor.release();
        assertThat(remaining.get(10, TimeUnit.SECONDS)).isEqualTo(6f);
        assertThat(predictor.computedInputs()).containsExactly(1f, 3f);
    }

    @Test
    void interruptedCallerCancelsItsRequest() throws Exception {
        start(settings(true, 8, Duration.ZERO, 4, Duration.ofSeconds(10)));
        queue.submit(1f);
        predictor.awaitStarted();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                queue.call(2f);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        caller.start();
        awaitDepth(1);

        caller.interrupt();
        caller.join(10_000);

        assertThat(thrown.get()).isInstanceOf(RequestCancelledException.class);
        assertThat(queue.depth()).isZero();
        predictor.release();
        assertThat(queue.submit(3f).get(10, TimeUnit.SECONDS)).isEqualTo(6f);
        assertThat(predictor.computedInputs()).containsExactly(1f, 3f);
    }

    @Test
    void closeFinishesQueuedRequestsThenClosesPredictor() throws Exception {
        start(settings(true, 1, Duration.ZERO, 4, Duration.ofSeconds(10)));
        CompletableFuture<Float> running = queue.submit(1f);
        predictor.awaitStarted();
        CompletableFuture<Float> queued = queue.submit(2f);
        Thread closer = new Thread(queue::close);
        closer.start();
        Thread.sleep(100);

        assertThatThrownBy(() -> queue.submit(3f)).isInstanceOf(ShuttingDownException.class);
        assertThat(predictor.isClosed()).isFalse();
        predictor.release();
        closer.join(10_000);

        assertThat(running.get(1, TimeUnit.SECONDS)).isEqualTo(2f);
        assertThat(queued.get(1, TimeUnit.SECONDS)).isEqualTo(4f);
        assertThat(predictor.isClosed()).isTrue();
    }

    @Test
    void predictorFailureReachesEveryCallerInBatch() throws Exception {
        IllegalStateException failure = new IllegalStateException("forward pass failed");
        queue = new InferenceQueue<>(settings(true, 8, Duration.ofMillis(200), 4, Duration.ofSeconds(10)),
                () -> new BatchPredictor<Float, Float>() {
                    @Override
                    public List<Float> predict(List<Float> inputs) {
                        throw failure;
                    }

                    @Override
                    public void close() {}
                }, metrics);
        CompletableFuture<Float> first = queue.submit(1f);
        CompletableFuture<Float> second = queue.submit(2f);

        assertThatThrownBy(() -> queue.call(3f)).isInstanceOf(ExecutionException.class).hasCause(failure);
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCause(failure);
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCause(failure);
        assertThat(queue.lastFailure()).isSameAs(failure);
    }

    @Test
    void queueDepthGaugeFollowsQueue() throws Exception {
        start(settings(true, 8, Duration.ZERO, 4, Duration.ofSeconds(10)));
        queue.submit(1f);
        predictor.awaitStarted();
        queue.submit(2f);
        queue.submit(3f);

        assertThat(registry.get(ServingMetrics.QUEUE_DEPTH).gauge().value()).isEqualTo(2);
    }
}
