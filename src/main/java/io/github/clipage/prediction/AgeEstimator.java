package io.github.clipage.prediction;

import ai.djl.Device;
import ai.djl.translate.TranslateException;
import io.github.clipage.clip.ClipModel;
import io.github.clipage.clip.ImageProcessorConfig;
import io.github.clipage.observability.ServingMetrics;
import io.github.clipage.serving.BatchPredictor;
import io.github.clipage.serving.InferenceQueue;
import io.github.clipage.serving.ServingProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Estimates ages from preprocessed images with a loaded CLIP model and its text matrix. */
public final class AgeEstimator implements AutoCloseable {

    private final ModelInfo info;
    private final ClipModel model;
    private final TextMatrix textMatrix;
    private final InferenceQueue<float[], float[]> queue;
    private final ServingMetrics metrics;
    private final Runnable onClose;
    private volatile boolean ready;

    /**
     * Creates the estimator and starts its predictors and their worker threads.
     *
     * @param serving the pool size, batching, queue and deadline settings
     * @param metrics where batches, rejections and returned ages are recorded
     * @param onClose run after the model is closed, for example to delete a temporary checkpoint
     */
    public AgeEstimator(ModelInfo info, ClipModel model, TextMatrix textMatrix, ServingProperties serving,
            ServingMetrics metrics, Runnable onClose) {
        this.info = info;
        this.model = model;
        this.textMatrix = textMatrix;
        this.metrics = metrics;
        AgeTranslator translator = new AgeTranslator(model.imageSize(), model.dataType(), textMatrix);
        this.queue = new InferenceQueue<>(serving, () -> BatchPredictor.of(model.newPredictor(translator)), metrics);
        this.onClose = onClose;
        this.ready = true;
    }

    /** Returns what model is running. */
    public ModelInfo info() {
        return info;
    }

    /** Returns the device that stores the weights. */
    public Device device() {
        return model.device();
    }

    /** Returns the side of the square images the model takes. */
    public int imageSize() {
        return model.imageSize();
    }

    /** Returns how images must be prepared for the model. */
    public ImageProcessorConfig imageProcessorConfig() {
        return model.imageProcessorConfig();
    }

    /** Returns the prompts the text matrix was built from. */
    public AgePrompts prompts() {
        return textMatrix.prompts();
    }

    /** Returns whether the model and its text matrix are loaded and the estimator is not closing. */
    public boolean isReady() {
        return ready;
    }

    /** Returns the request queue, for its depth and last failure. */
    public InferenceQueue<float[], float[]> queue() {
        return queue;
    }

    /**
     * Estimates the age in one image, given as {@code float[3 * size * size]} normalised pixel
     * values. The image waits in the request queue and may be computed in a batch with others.
     *
     * @throws io.github.clipage.serving.QueueFullException at once when the queue is full
     * @throws io.github.clipage.serving.RequestTimeoutException when the request deadline passes first
     * @throws io.github.clipage.serving.RequestCancelledException when the calling thread is interrupted
     * @throws TranslateException when the model fails on the image
     */
    public AgeEstimate estimate(float[] pixelValues) throws TranslateException {
        float[] probabilities;
        try {
            probabilities = queue.call(pixelValues);
        } catch (ExecutionException e) {
            throw asTranslateException(e.getCause());
        }
        return toEstimate(probabilities);
    }

    /**
     * Estimates the ages in several images, queued together so that they can share batches.
     * If one cannot be queued or fails, the others are cancelled and the exception is thrown, as
     * {@link #estimate(float[])} throws it.
     */
    public List<AgeEstimate> estimateAll(List<float[]> pixelValues) throws TranslateException {
        List<CompletableFuture<float[]>> futures = new ArrayList<>(pixelValues.size());
        try {
            for (float[] image : pixelValues) {
                futures.add(queue.submit(image));
            }
            List<AgeEstimate> estimates = new ArrayList<>(futures.size());
            for (CompletableFuture<float[]> future : futures) {
                estimates.add(toEstimate(queue.await(future)));
            }
            return estimates;
        } catch (ExecutionException e) {
            throw asTranslateException(e.getCause());
        } finally {
            // Cancelling a completed future does nothing; the others leave the queue.
            futures.forEach(future -> future.cancel(false));
        }
    }

    private AgeEstimate toEstimate(float[] probabilities) {
        AgeEstimate estimate = AgeEstimate.fromProbabilities(textMatrix.prompts().ages(), probabilities);
        metrics.recordPredictedAge(estimate.age());
        return estimate;
    }

    /** Finishes the queued requests, then closes the predictors and the model. */
    @Override
    public void close() {
        ready = false;
        queue.close();
        model.close();
        onClose.run();
    }

    private static TranslateException asTranslateException(Throwable cause) {
        if (cause instanceof TranslateException translate) {
            return translate;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new TranslateException(cause);
    }
}
