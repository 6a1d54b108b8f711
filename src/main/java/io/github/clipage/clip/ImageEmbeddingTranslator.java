package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * Turns preprocessed pixel values into a unit-length image embedding.
 *
 * <p>Input: {@code float[3 * size * size]}, channels first, already normalised with CLIP's mean
 * and standard deviation. Output: {@code float[projection_dim]}, L2-normalised.
 */
public class ImageEmbeddingTranslator implements Translator<float[], float[]> {

    private final int imageSize;
    private final DataType modelDataType;

    /** Creates a translator for square images of {@code imageSize} pixels and a model in {@code modelDataType}. */
    public ImageEmbeddingTranslator(int imageSize, DataType modelDataType) {
        this.imageSize = imageSize;
        this.modelDataType = modelDataType;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, float[] pixelValues) {
        long expected = 3L * imageSize * imageSize;
        if (pixelValues.length != expected) {
            throw new IllegalArgumentException(
                    "Expected " + expected + " pixel values for a 3 x " + imageSize + " x " + imageSize
                            + " image, got " + pixelValues.length);
        }
        NDArray array = ctx.getNDManager().create(pixelValues, new Shape(3, imageSize, imageSize));
        return new NDList(array.toType(modelDataType, false));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return normalizedEmbedding(list).toFloatArray();
    }

    /** Returns the output embedding {@code [projection_dim]} as float32 with unit length. */
    protected NDArray normalizedEmbedding(NDList list) {
        return Embeddings.l2Normalize(list.singletonOrThrow().toType(DataType.FLOAT32, false));
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
