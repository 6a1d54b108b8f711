package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** One pre-norm transformer layer: attention then feed-forward, each around a residual. */
public final class EncoderLayer extends ClipBlock {

    private final LayerNormLayer layerNorm1;
    private final SelfAttention selfAttn;
    private final LayerNormLayer layerNorm2;
    private final FeedForward mlp;

    /** Creates one layer of a tower. */
    public EncoderLayer(ClipConfig.TowerConfig config) {
        selfAttn = addModule("self_attn", new SelfAttention(config));
        layerNorm1 = addModule("layer_norm1", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
        mlp = addModule("mlp", new FeedForward(config));
        layerNorm2 = addModule("layer_norm2", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
    }

    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray hiddenStates) {
        return forward(parameterStore, hiddenStates, null);
    }

    /** Runs the layer on {@code [batch, tokens, width]}, with an optional additive attention mask. */
    public NDArray forward(ParameterStore parameterStore, NDArray hiddenStates, NDArray additiveMask) {
        NDArray attended =
                selfAttn.forward(parameterStore, layerNorm1.forward(parameterStore, hiddenStates), additiveMask);
        hiddenStates = hiddenStates.add(attended);

        NDArray transformed = mlp.forward(parameterStore, layerNorm2.forward(parameterStore, hiddenStates));
        return hiddenStates.add(transformed);
    }
}
