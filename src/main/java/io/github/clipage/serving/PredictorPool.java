package io.github.clipage.serving;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fixed set of DJL predictors shared by request threads. A predictor is not thread-safe, so
 * each call borrows one for itself and returns it when done.
 *
 * @param <I> the predictor's input type
 * @param <O> the predictor's output type
 */
public final class PredictorPool<I, O> implements AutoCloseable {

    private final List<Predictor<I, O>> all = new ArrayList<>();
    private final BlockingQueue<Predictor<I, O>> idle;
    private final Duration acquireTimeout;

    /** Creates {@code size} predictors up front. */
    public PredictorPool(int size, Supplier<Predictor<I, O>> factory, Duration acquireTimeout) {
        if (size < 1) {
            throw new IllegalArgumentException("A predictor pool needs at least one predictor, not " + size);
        }
        this.idle = new ArrayBlockingQueue<>(size);
        this.acquireTimeout = acquireTimeout;
        for (int i = 0; i < size; i++) {
            Predictor<I, O> predictor = factory.get();
            all.add(predictor);
            idle.add(predictor);
        }
    }

    /** Returns the number of predictors. */
    public int size() {
        return all.size();
    }

    /**
     * Runs one input through a free predictor.
     *
     * @throws ServiceBusyException when none is free within the acquire timeout
     */
    public O predict(I input) throws TranslateException {
        Predictor<I, O> predictor = acquire();
        try {
            return predictor.predict(input);
        } finally {
            idle.add(predictor);
        }
    }

    private Predictor<I, O> acquire() {
        try {
            Predictor<I, O> predictor = idle.poll(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (predictor == null) {
                throw new ServiceBusyException(
                        "All " + all.size() + " predictors stayed busy for " + acquireTimeout.toMillis() + " ms",
                        acquireTimeout);
            }
            return predictor;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceBusyException("Interrupted while waiting for a free predictor", acquireTimeout);
        }
    }

    @Override
    public void close() {
        all.forEach(Predictor::close);
    }
}
