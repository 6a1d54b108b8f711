package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** The text tower ({@code text_model}): embeddings, causal encoder, pooling at end-of-text. */
public final class TextTransformer extends ClipBlock {

    private final TextEmbeddings embeddings;
    private final Encoder encoder;
    private final LayerNormLayer finalLayerNorm;
    private final int maxPositions;
    private long eosTokenId = -1;

    /** Creates the text tower. */
    public TextTransformer(ClipConfig.TowerConfig config) {
        embeddings = addModule("embeddings", new TextEmbeddings(config));
        encoder = addModule("encoder", new Encoder(config));
        finalLayerNorm = addModule("final_layer_norm", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
        maxPositions = config.maxPositionEmbeddings();
    }

    /**
     * Sets the id of the end-of-text token, at whose first occurrence the tower pools.
     *
     * <p>It comes from the tokenizer: the {@code eos_token_id} of older OpenAI configs is a
     * placeholder (2), not the vocabulary's end-of-text id.
     */
    public void setEosTokenId(long eosTokenId) {
        this.eosTokenId = eosTokenId;
    }

    /** Returns the pooled output {@code [batch, width]} for {@code inputIds [batch, tokens]}. */
    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray inputIds) {
        return pool(lastHiddenState(parameterStore, inputIds), inputIds);
    }

    /** Returns the normalised encoder output {@code [batch, tokens, width]}. */
    public NDArray lastHiddenState(ParameterStore parameterStore, NDArray inputIds) {
        long tokens = inputIds.getShape().get(1);
        if (tokens > maxPositions) {
            throw new IllegalArgumentException(
                    "Text of " + tokens + " tokens exceeds the " + maxPositions + " positions of the text tower");
        }
        NDArray hiddenStates = embeddings.forward(parameterStore, inputIds);
        NDArray mask = causalMask(inputIds.getManager(), tokens).toType(hiddenStates.getDataType(), false);
        hiddenStates = encoder.forward(parameterStore, hiddenStates, mask);
        return finalLayerNorm.forward(parameterStore, hiddenStates);
    }

    /**
     * Takes each row's hidden state at its first end-of-text token: {@code [batch, width]}.
     *
     * <p>No padding mask is needed: padding follows end-of-text, and the causal mask keeps every
     * later position out of the pooled one.
     */
    public NDArray pool(NDArray lastHiddenState, NDArray inputIds) {
        if (eosTokenId < 0) {
            throw new IllegalStateException("The end-of-text token id has not been set");
        }
        long tokens = inputIds.getShape().get(1);
        NDArray isEos = inputIds.eq(eosTokenId).toType(DataType.INT32, false);
        NDArray eosPositions = isEos.argMax(1); // argmax returns the first of equal maxima
        NDArray selector = eosPositions.oneHot((int) tokens).toType(lastHiddenState.getDataType(), false);
        return lastHiddenState.mul(selector.expandDims(-1)).sum(new int[] {1});
    }

    // 0 on and below the diagonal, -inf above it: a token attends to itself and earlier tokens only.
    private static NDArray causalMask(NDManager manager, long tokens) {
        int size = Math.toIntExact(tokens);
        float[] mask = new float[size * size];
        for (int row = 0; row < size; row++) {
            for (int column = row + 1; column < size; column++) {
                mask[row * size + column] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(tokens, tokens));
    }
}
