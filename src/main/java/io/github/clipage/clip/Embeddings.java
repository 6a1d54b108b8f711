package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;

/** Operations on embedding vectors. */
public final class Embeddings {

    private Embeddings() {}

    /** Scales each vector along the last axis to unit L2 norm. */
    public static NDArray l2Normalize(NDArray embeddings) {
        return embeddings.div(embeddings.norm(new int[] {-1}, true));
    }
}
