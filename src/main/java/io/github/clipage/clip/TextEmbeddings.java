package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** Token and position embeddings of the text tower. */
public final class TextEmbeddings extends ClipBlock {

    private final EmbeddingLayer tokenEmbedding;
    private final EmbeddingLayer positionEmbedding;

    /** Creates the embeddings for the configured vocabulary and context length. */
    public TextEmbeddings(ClipConfig.TowerConfig config) {
        tokenEmbedding = addModule("token_embedding", new EmbeddingLayer(config.vocabSize(), config.hiddenSize()));
        positionEmbedding =
                addModule("position_embedding", new EmbeddingLayer(config.maxPositionEmbeddings(), config.hiddenSize()));
    }

    /** Embeds {@code inputIds [batch, tokens]} as {@code [batch, tokens, width]}. */
    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray inputIds) {
        long tokens = inputIds.getShape().get(1);
        NDArray tokenVectors = tokenEmbedding.forward(parameterStore, inputIds);
        return tokenVectors.add(positionEmbedding.firstRows(parameterStore, tokenVectors, tokens));
    }
}
