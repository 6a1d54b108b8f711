package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;

/** Layer normalisation over the last axis, with a learned scale ({@code weight}) and {@code bias}. */
public final class LayerNormLayer extends ClipBlock {

    private final Shape normalizedShape;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** Creates a layer norm over a last axis of {@code width} elements. */
    public LayerNormLayer(int width, double eps) {
        this.normalizedShape = new Shape(width);
        this.eps = (float) eps;
        weight = addWeight("weight", normalizedShape);
        bias = addWeight("bias", normalizedShape);
    }

    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray input) {
        return LayerNorm.layerNorm(
                        input,
                        normalizedShape,
                        valueOf(parameterStore, weight, input),
                        valueOf(parameterStore, bias, input),
                        eps)
                .singletonOrThrow();
    }
}
