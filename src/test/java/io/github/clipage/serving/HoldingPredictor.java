package io.github.clipage.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A batch predictor that doubles its inputs and, while held, blocks inside each forward pass, so
 * that a test can fill the queue behind a busy worker. It records every batch it computed.
 */
public final class HoldingPredictor implements BatchPredictor<Float, Float> {

    private final List<List<Float>> batches = new CopyOnWriteArrayList<>();
    private final Semaphore started = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean holding;
    private volatile boolean closed;

    /** Creates a predictor that blocks in every forward pass until {@link #release()} when {@code hold} is true. */
    public HoldingPredictor(boolean hold) {
        this.holding = hold;
    }

    @Override
    public List<Float> predict(List<Float> inputs) throws InterruptedException {
        batches.add(List.copyOf(inputs));
        started.release();
        if (holding && !release.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The test never released the predictor");
        }
        List<Float> outputs = new ArrayList<>();
        for (Float input : inputs) {
            outputs.add(input * 2);
        }
        return outputs;
    }

    /** Waits until a forward pass has started. */
    public void awaitStarted() throws InterruptedException {
        if (!started.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new AssertionError("No forward pass started within 10 s");
        }
    }

    /** Lets every held and future forward pass finish. */
    public void release() {
        holding = false;
        release.countDown();
    }

    /** Returns the batches computed so far, in order. */
    public List<List<Float>> batches() {
        return batches;
    }

    /** Returns every input computed so far. */
    public List<Float> computedInputs() {
        return batches.stream().flatMap(List::stream).toList();
    }

    /** Returns whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
