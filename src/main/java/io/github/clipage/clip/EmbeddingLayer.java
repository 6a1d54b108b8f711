package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** A lookup table of {@code count} learned vectors of {@code width} elements. */
public final class EmbeddingLayer extends ClipBlock {

    private final Parameter weight;

    /** Creates a table of {@code count} rows. */
    public EmbeddingLayer(int count, int width) {
        weight = addWeight("weight", new Shape(count, width));
    }

    /** Returns the rows at the given integer indices: {@code [...] -> [..., width]}. */
    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray indices) {
        return ownedLike(valueOf(parameterStore, weight, indices).get(indices), indices);
    }

    /** Returns the first {@code count} rows, the embeddings of positions 0 to count - 1. */
    public NDArray firstRows(ParameterStore parameterStore, NDArray like, long count) {
        return ownedLike(valueOf(parameterStore, weight, like).get(new NDIndex(":{}", count)), like);
    }
}
