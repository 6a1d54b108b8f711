package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;

/** The two-layer feed-forward block of an encoder layer ({@code mlp} in the checkpoint). */
public final class FeedForward extends ClipBlock {

    // The constant of the sigmoid approximation to GELU that OpenAI's CLIP was trained with.
    private static final float QUICK_GELU_SLOPE = 1.702f;

    private final LinearLayer fc1;
    private final LinearLayer fc2;
    private final ClipConfig.Activation activation;

    /** Creates the block for one tower. */
    public FeedForward(ClipConfig.TowerConfig config) {
        fc1 = addModule("fc1", new LinearLayer(config.hiddenSize(), config.intermediateSize(), true));
        fc2 = addModule("fc2", new LinearLayer(config.intermediateSize(), config.hiddenSize(), true));
        activation = config.hiddenAct();
    }

    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray hiddenStates) {
        NDArray intermediate = fc1.forward(parameterStore, hiddenStates); // [batch, tokens, intermediate]
        intermediate = activate(intermediate);
        return fc2.forward(parameterStore, intermediate); // [batch, tokens, width]
    }

    private NDArray activate(NDArray x) {
        return switch (activation) {
            case QUICK_GELU -> x.mul(Activation.sigmoid(x.mul(QUICK_GELU_SLOPE)));
            case GELU -> Activation.gelu(x);
        };
    }
}
