package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/** A fully connected layer, {@code y = x W^T + b}, with PyTorch's {@code [out, in]} weight layout. */
public final class LinearLayer extends ClipBlock {

    private final Parameter weight;
    private final Parameter bias;

    /** Creates a layer from {@code inFeatures} to {@code outFeatures}, with or without a bias. */
    public LinearLayer(int inFeatures, int outFeatures, boolean withBias) {
        weight = addWeight("weight", new Shape(outFeatures, inFeatures));
        bias = withBias ? addWeight("bias", new Shape(outFeatures)) : null;
    }

    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray input) {
        NDArray weightValue = valueOf(parameterStore, weight, input);
        if (bias == null) {
            return Linear.linear(input, weightValue).singletonOrThrow();
        }
        return Linear.linear(input, weightValue, valueOf(parameterStore, bias, input))
                .singletonOrThrow();
    }
}
