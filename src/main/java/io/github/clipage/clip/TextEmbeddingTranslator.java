package io.github.clipage.clip;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** Turns token ids into a unit-length text embedding: {@code long[tokens] -> float[projection_dim]}. */
public class TextEmbeddingTranslator implements Translator<long[], float[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, long[] inputIds) {
        return new NDList(ctx.getNDManager().create(inputIds));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return Embeddings.l2Normalize(list.singletonOrThrow().toType(DataType.FLOAT32, false)).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
