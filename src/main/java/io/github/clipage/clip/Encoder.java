package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/** The stack of encoder layers of one tower, named {@code layers.0}, {@code layers.1}, ... */
public final class Encoder extends ClipBlock {

    private final List<EncoderLayer> layers = new ArrayList<>();

    /** Creates {@code num_hidden_layers} layers. */
    public Encoder(ClipConfig.TowerConfig config) {
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(addModule("layers." + i, new EncoderLayer(config)));
        }
    }

    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray hiddenStates) {
        return forward(parameterStore, hiddenStates, null);
    }

    /** Runs every layer in turn on {@code [batch, tokens, width]}. */
    public NDArray forward(ParameterStore parameterStore, NDArray hiddenStates, NDArray additiveMask) {
        for (EncoderLayer layer : layers) {
            hiddenStates = layer.forward(parameterStore, hiddenStates, additiveMask);
        }
        return hiddenStates;
    }
}
