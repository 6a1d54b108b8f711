package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/** Patch embedding, class token and position embeddings of the image tower. */
public final class VisionEmbeddings extends ClipBlock {

    private final Parameter classEmbedding;
    private final Parameter patchEmbedding;
    private final EmbeddingLayer positionEmbedding;
    private final int patchSize;
    private final int hiddenSize;
    private final int numPositions;

    /** Creates the embeddings for the configured image and patch size. */
    public VisionEmbeddings(ClipConfig.TowerConfig config) {
        patchSize = config.patchSize();
        hiddenSize = config.hiddenSize();
        numPositions = config.numImagePositions();
        classEmbedding = addWeight("class_embedding", new Shape(hiddenSize));
        // A convolution with stride equal to its kernel cuts the image into patches; it has no bias.
        patchEmbedding =
                addWeight("patch_embedding.weight", new Shape(hiddenSize, config.numChannels(), patchSize, patchSize));
        positionEmbedding = addModule("position_embedding", new EmbeddingLayer(numPositions, hiddenSize));
    }

    /** Embeds {@code pixelValues [batch, channels, size, size]} as {@code [batch, positions, width]}. */
    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray pixelValues) {
        long batch = pixelValues.getShape().get(0);

        NDArray kernel = valueOf(parameterStore, patchEmbedding, pixelValues);
        NDArray patches =
                Conv2d.conv2d(pixelValues, kernel, null, new Shape(patchSize, patchSize))
                        .singletonOrThrow(); // [batch, width, side, side]
        patches = patches.reshape(batch, hiddenSize, -1).transpose(0, 2, 1); // [batch, patches, width]

        NDArray classToken = ownedLike(valueOf(parameterStore, classEmbedding, pixelValues).reshape(1, 1, hiddenSize),
                pixelValues).broadcast(batch, 1, hiddenSize);
        NDArray embeddings = NDArrays.concat(new NDList(classToken, patches), 1); // [batch, positions, width]

        return embeddings.add(positionEmbedding.firstRows(parameterStore, pixelValues, numPositions));
    }
}
