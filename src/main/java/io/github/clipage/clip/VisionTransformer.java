package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;

/** The image tower ({@code vision_model}): embeddings, encoder and the pooled class token. */
public final class VisionTransformer extends ClipBlock {

    private final VisionEmbeddings embeddings;
    private final LayerNormLayer preLayrnorm;
    private final Encoder encoder;
    private final LayerNormLayer postLayernorm;

    /** Creates the image tower. */
    public VisionTransformer(ClipConfig.TowerConfig config) {
        embeddings = addModule("embeddings", new VisionEmbeddings(config));
        // "pre_layrnorm" is spelled as in the checkpoints.
        preLayrnorm = addModule("pre_layrnorm", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
        encoder = addModule("encoder", new Encoder(config));
        postLayernorm = addModule("post_layernorm", new LayerNormLayer(config.hiddenSize(), config.layerNormEps()));
    }

    /** Returns the pooled output {@code [batch, width]} for {@code pixelValues [batch, 3, size, size]}. */
    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray pixelValues) {
        return pool(parameterStore, lastHiddenState(parameterStore, pixelValues));
    }

    /** Returns the encoder output {@code [batch, positions, width]}. */
    public NDArray lastHiddenState(ParameterStore parameterStore, NDArray pixelValues) {
        NDArray hiddenStates = embeddings.forward(parameterStore, pixelValues);
        hiddenStates = preLayrnorm.forward(parameterStore, hiddenStates);
        return encoder.forward(parameterStore, hiddenStates);
    }

    /** Returns the normalised class token {@code [batch, width]} of an encoder output. */
    public NDArray pool(ParameterStore parameterStore, NDArray lastHiddenState) {
        NDArray classToken = lastHiddenState.get(new NDIndex(":, 0, :"));
        return postLayernorm.forward(parameterStore, classToken);
    }
}
