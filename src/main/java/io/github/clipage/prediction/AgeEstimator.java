package io.github.clipage.prediction;

import ai.djl.translate.TranslateException;
import io.github.clipage.clip.ClipModel;
import io.github.clipage.clip.ImageProcessorConfig;
import io.github.clipage.serving.PredictorPool;
import java.time.Duration;

/** Estimates ages from preprocessed images with a loaded CLIP model and its text matrix. */
public final class AgeEstimator implements AutoCloseable {

    private final ModelInfo info;
    private final ClipModel model;
    private final TextMatrix textMatrix;
    private final PredictorPool<float[], float[]> pool;
    private final Runnable onClose;

    /**
     * Creates the estimator and its predictors.
     *
     * @param onClose run after the model is closed, for example to delete a temporary checkpoint
     */
    public AgeEstimator(
            ModelInfo info, ClipModel model, TextMatrix textMatrix, int predictors, Duration acquireTimeout, Runnable onClose) {
        this.info = info;
        this.model = model;
        this.textMatrix = textMatrix;
        AgeTranslator translator = new AgeTranslator(model.imageSize(), model.dataType(), textMatrix);
        this.pool = new PredictorPool<>(predictors, () -> model.newPredictor(translator), acquireTimeout);
        this.onClose = onClose;
    }

    /** Returns what model is running. */
    public ModelInfo info() {
        return info;
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

    /** Estimates the age in one image, given as {@code float[3 * size * size]} normalised pixel values. */
    public AgeEstimate estimate(float[] pixelValues) throws TranslateException {
        float[] probabilities = pool.predict(pixelValues);
        return AgeEstimate.fromProbabilities(textMatrix.prompts().ages(), probabilities);
    }

    @Override
    public void close() {
        pool.close();
        model.close();
        onClose.run();
    }
}
