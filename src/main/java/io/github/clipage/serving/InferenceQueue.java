package io.github.clipage.serving;

import io.github.clipage.observability.RejectionReason;
import io.github.clipage.observability.ServingMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of requests served by one worker thread per predictor, with dynamic batching.
 *
 * <p>A worker takes the first waiting request, then up to {@code maxBatchSize - 1} more that arrive
 * within {@code maxBatchDelay}, and runs them through its predictor in one forward pass. Requests
 * that were cancelled or reached their deadline while queued are dropped without being computed.
 * A predictor is used by its own worker only, so no two threads ever share one.
 *
 * @param <I> the input of one request
 * @param <O> the output of one request
 */
public final class InferenceQueue<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InferenceQueue.class);

    // How often an idle worker checks whether the queue is closing.
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    // The wait suggested to callers that are turned away: long enough for a batch or two to finish.
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final BlockingQueue<PendingRequest<I, O>> queue;
    private final int queueCapacity;
    private final int maxBatchSize;
    private final long maxBatchDelayNanos;
    private final Duration requestTimeout;
    private final ServingMetrics metrics;
    private final List<BatchPredictor<I, O>> predictors = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closing;
    private volatile Throwable lastFailure;

    /**
     * Creates {@code properties.predictors()} predictors and starts one worker thread for each.
     *
     * @param properties the batch, queue and deadline settings
     * @param predictorFactory called once per worker
     * @param metrics where batches, rejections and the queue depth are recorded
     */
    public InferenceQueue(ServingProperties properties, Supplier<BatchPredictor<I, O>> predictorFactory, ServingMetrics metrics) {
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.queueCapacity = properties.queueCapacity();
        this.maxBatchSize = properties.effectiveMaxBatchSize();
        this.maxBatchDelayNanos = properties.effectiveMaxBatchDelay().toNanos();
        this.requestTimeout = properties.requestTimeout();
        this.metrics = metrics;
        try {
            for (int i = 0; i < properties.predictors(); i++) {
                predictors.add(predictorFactory.get());
            }
        } catch (RuntimeException e) {
            predictors.forEach(BatchPredictor::close);
            throw e;
        }

        metrics.registerQueueDepth(this, InferenceQueue::depth);
        for (int i = 0; i < predictors.size(); i++) {
            BatchPredictor<I, O> predictor = predictors.get(i);
            Thread worker = new Thread(() -> runWorker(predictor), "inference-worker-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Queues one input and returns its result as a future. Cancelling the future removes the input
     * from the queue; if a worker has already started on it, the result is discarded.
     *
     * @throws QueueFullException at once when the queue is full
     * @throws ShuttingDownException when the queue is closing
     */
    public CompletableFuture<O> submit(I input) {
        if (closing) {
            throw new ShuttingDownException("The service is shutting down", RETRY_AFTER);
        }
        PendingRequest<I, O> request = new PendingRequest<>(input, System.nanoTime() + requestTimeout.toNanos());
        request.future.whenComplete((result, failure) -> onFinished(request, failure));
        if (!queue.offer(request)) {
            metrics.recordRejected(RejectionReason.QUEUE_FULL);
            throw new QueueFullException(
                    "All " + queueCapacity + " places in the request queue are taken", RETRY_AFTER);
        }
        return request.future;
    }

    /**
     * Queues one input and waits for its result, at most until the request's deadline.
     *
     * @throws QueueFullException at once when the queue is full
     * @throws RequestTimeoutException when the deadline passes first
     * @throws RequestCancelledException when the calling thread is interrupted while it waits
     * @throws ExecutionException when the predictor fails, with its exception as the cause
     */
    public O call(I input) throws ExecutionException {
        return await(submit(input));
    }

    /**
     * Waits for a submitted input's result, at most one request timeout from now.
     *
     * @throws RequestTimeoutException when the deadline passes first
     * @throws RequestCancelledException when the calling thread is interrupted while it waits
     * @throws ExecutionException when the predictor fails, with its exception as the cause
     */
    public O await(CompletableFuture<O> future) throws ExecutionException {
        // Limitation: Tomcat does not interrupt a request thread when its client disconnects, so the image of a gone client stays queued until it is computed or its deadline passes.
        try {
            return future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.completeExceptionally(timeout());
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
        }
        return resultOf(future);
    }

    /** Returns the number of requests waiting for a worker. */
    public int depth() {
        return queue.size();
    }

    /** Returns the last exception a predictor threw, or null if none has failed. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /**
     * Rejects new requests, lets the workers finish every queued request, then closes the
     * predictors. Waits at most the request timeout plus one second for the workers.
     */
    @Override
    public void close() {
        closing = true;
        long giveUpAt = System.nanoTime() + requestTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < workers.size(); i++) {
            Thread worker = workers.get(i);
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUpAt - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                // Limitation: a predictor whose forward pass outlives the shutdown budget is left open.
                log.warn("Worker {} is still computing after the shutdown budget; its predictor is left open. "
                        + "Lower age.serving.max-batch-size if forward passes take this long.", worker.getName());
            } else {
                predictors.get(i).close();
            }
        }

        // A request that slipped in while the workers were stopping would otherwise wait for its deadline.
        PendingRequest<I, O> orphan;
        while ((orphan = queue.poll()) != null) {
            orphan.future.completeExceptionally(new ShuttingDownException("The service is shutting down", RETRY_AFTER));
        }
    }

    private void onFinished(PendingRequest<I, O> request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof CancellationException) {
            queue.remove(request);
            metrics.recordRejected(RejectionReason.CANCELLED);
        } else if (cause instanceof RequestTimeoutException) {
            queue.remove(request);
            metrics.recordRejected(RejectionReason.TIMEOUT);
        }
    }

    private void runWorker(BatchPredictor<I, O> predictor) {
        List<PendingRequest<I, O>> batch = new ArrayList<>(maxBatchSize);
        try {
            while (true) {
                PendingRequest<I, O> first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                if (isLive(first)) {
                    batch.add(first);
                    fillBatch(batch);
                    runBatch(predictor, batch);
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds live requests until the batch is full or the batch delay, counted from now, is over. */
    private void fillBatch(List<PendingRequest<I, O>> batch) throws InterruptedException {
        long delayEnd = System.nanoTime() + maxBatchDelayNanos;
        while (batch.size() < maxBatchSize) {
            long wait = delayEnd - System.nanoTime();
            // Requests already waiting join the batch even when the delay is over or zero.
            PendingRequest<I, O> next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                return;
            }
            if (isLive(next)) {
                batch.add(next);
            }
        }
    }

    private void runBatch(BatchPredictor<I, O> predictor, List<PendingRequest<I, O>> batch) {
        // A request may have been cancelled or expired during the batch delay.
        batch.removeIf(request -> !isLive(request));
        if (batch.isEmpty()) {
            return;
        }
        List<I> inputs = new ArrayList<>(batch.size());
        for (PendingRequest<I, O> request : batch) {
            inputs.add(request.input);
        }

        long start = System.nanoTime();
        List<O> outputs;
        try {
            outputs = predictor.predict(inputs);
        } catch (Exception e) {
            lastFailure = e;
            log.debug("A batch of {} failed", inputs.size(), e);
            batch.forEach(request -> request.future.completeExceptionally(e));
            return;
        } catch (Error e) {
            lastFailure = e;
            log.error("Worker {} stopped: its predictor threw an error. Restart the service.",
                    Thread.currentThread().getName(), e);
            batch.forEach(request -> request.future.completeExceptionally(e));
            throw e;
        }
        metrics.recordBatch(inputs.size(), System.nanoTime() - start);

        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future.complete(outputs.get(i));
        }
    }

    /** Returns whether a request still waits for its result; expires it if its deadline is past. */
    private boolean isLive(PendingRequest<I, O> request) {
        if (request.future.isDone()) {
            return false;
        }
        if (System.nanoTime() - request.deadlineNanos >= 0) {
            request.future.completeExceptionally(timeout());
            return false;
        }
        return true;
    }

    private RequestTimeoutException timeout() {
        return new RequestTimeoutException(
                "The request was not computed within its deadline of " + requestTimeout.toMillis() + " ms", RETRY_AFTER);
    }

    private static <O> O resultOf(CompletableFuture<O> done) throws ExecutionException {
        try {
            return done.get();
        } catch (CancellationException e) {
            throw new RequestCancelledException("The request was cancelled before its result was ready");
        } catch (InterruptedException e) {
            // Unreachable: the future is done, so get() does not wait.
            Thread.currentThread().interrupt();
            throw new RequestCancelledException("Interrupted while reading a finished result");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RequestTimeoutException timeout) {
                throw timeout;
            }
            throw e;
        }
    }

    private static final class PendingRequest<I, O> {
        private final I input;
        private final long deadlineNanos;
        private final CompletableFuture<O> future = new CompletableFuture<>();

        private PendingRequest(I input, long deadlineNanos) {
            this.input = input;
            this.deadlineNanos = deadlineNanos;
        }
    }
}
