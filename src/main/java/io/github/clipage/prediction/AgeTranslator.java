package io.github.clipage.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslatorContext;
import io.github.clipage.clip.ImageEmbeddingTranslator;

/**
 * Turns preprocessed pixel values into one probability per age:
 * {@code softmax(100 * imageEmbedding . textMatrix^T)}.
 */
public final class AgeTranslator extends ImageEmbeddingTranslator {

    /**
     * The scale applied to cosine similarities before the softmax. The reference uses 100, which
     * is also what OpenAI's trained {@code logit_scale} gives after {@code exp}.
     */
    public static final float LOGIT_SCALE = 100f;

    private final TextMatrix textMatrix;

    /** Creates the translator for a model's image size and element type. */
    public AgeTranslator(int imageSize, DataType modelDataType, TextMatrix textMatrix) {
        super(imageSize, modelDataType);
        this.textMatrix = textMatrix;
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        NDArray imageEmbedding = normalizedEmbedding(list); // [projection_dim]
        // Called on the text matrix, the product belongs to the model's manager, which stays open while
        // the model serves. Attaching it to the request's manager frees it with the request.
        NDArray similarities = textMatrix.matrix().matMul(imageEmbedding); // [ages]
        similarities.attach(imageEmbedding.getManager());
        NDArray logits = similarities.mul(LOGIT_SCALE);
        return logits.softmax(0).toFloatArray();
    }
}
