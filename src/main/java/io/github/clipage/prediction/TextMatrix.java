package io.github.clipage.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.translate.TranslateException;
import io.github.clipage.clip.ClipModel;

/**
 * The prompts' unit-length text embeddings, one row per age, {@code [ages, projection_dim]}, kept
 * on the model's device for the life of the model.
 */
public final class TextMatrix {

    private final AgePrompts prompts;
    private final NDArray matrix;

    private TextMatrix(AgePrompts prompts, NDArray matrix) {
        this.prompts = prompts;
        this.matrix = matrix;
    }

    /** Encodes every prompt once with the model's text tower. */
    public static TextMatrix compute(ClipModel model, AgePrompts prompts) throws TranslateException {
        float[][] rows = model.encodeTexts(prompts.sentences());
        NDArray matrix = model.manager().create(rows); // [ages, projection_dim]
        return new TextMatrix(prompts, matrix);
    }

    /** Returns the prompts the rows stand for. */
    public AgePrompts prompts() {
        return prompts;
    }

    /** Returns the matrix {@code [ages, projection_dim]}; it must not be modified or closed. */
    public NDArray matrix() {
        return matrix;
    }

    /** Returns the number of rows, one per age. */
    public int size() {
        return Math.toIntExact(matrix.getShape().get(0));
    }
}
