package io.github.clipage.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.translate.TranslateException;
import io.github.clipage.clip.ClipModel;

/**
 * The prompts' unit-length text embeddings, one row per age, {@code [ages, projection_dim]}, kept
 * on the model's device for the life of the model.
 *
 * <p>With one template, each row is that sentence's embedding, as in the reference predictor.
 * With several, each row is the normalised mean of the age's sentence embeddings (prompt
 * ensembling), which averages out the wording of any single template.
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
        float[][] rows = model.encodeTexts(prompts.sentences(prompts.templates().get(0)));
        if (prompts.templates().size() > 1) {
            rows = ensemble(model, prompts, rows);
        }
        NDArray matrix = model.manager().create(rows); // [ages, projection_dim]
        return new TextMatrix(prompts, matrix);
    }

    private static float[][] ensemble(ClipModel model, AgePrompts prompts, float[][] firstTemplateRows)
            throws TranslateException {
        double[][] sums = new double[firstTemplateRows.length][firstTemplateRows[0].length];
        addTo(sums, firstTemplateRows);
        for (String template : prompts.templates().subList(1, prompts.templates().size())) {
            addTo(sums, model.encodeTexts(prompts.sentences(template)));
        }

        float[][] rows = new float[sums.length][];
        for (int i = 0; i < sums.length; i++) {
            rows[i] = normalized(sums[i]);
        }
        return rows;
    }

    private static void addTo(double[][] sums, float[][] rows) {
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                sums[i][j] += rows[i][j];
            }
        }
    }

    private static float[] normalized(double[] vector) {
        double squares = 0;
        for (double value : vector) {
            squares += value * value;
        }
        double norm = Math.sqrt(squares);
        float[] result = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            result[i] = (float) (vector[i] / norm);
        }
        return result;
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
