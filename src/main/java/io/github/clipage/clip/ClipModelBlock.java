package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The whole CLIP network: both towers, their projections into the shared space and the learned
 * temperature. Its parameter names are those of a Hugging Face {@code CLIPModel} checkpoint.
 *
 * <p>As a DJL block it takes one array: floating-point pixel values {@code [batch, 3, size, size]}
 * give image embeddings, integer token ids {@code [batch, tokens]} give text embeddings, both
 * {@code [batch, projection_dim]} and not yet normalised. The element type chooses the tower
 * because DJL's batchifier drops array names.
 */
public final class ClipModelBlock extends ClipBlock {

    private final ClipConfig config;
    private final TextTransformer textModel;
    private final VisionTransformer visionModel;
    private final LinearLayer visualProjection;
    private final LinearLayer textProjection;
    private final Parameter logitScale;

    /** Creates the network for a configuration; its arrays are set later from a checkpoint. */
    public ClipModelBlock(ClipConfig config) {
        this.config = config;
        textModel = addModule("text_model", new TextTransformer(config.text()));
        visionModel = addModule("vision_model", new VisionTransformer(config.vision()));
        visualProjection =
                addModule("visual_projection", new LinearLayer(config.vision().hiddenSize(), config.projectionDim(), false));
        textProjection =
                addModule("text_projection", new LinearLayer(config.text().hiddenSize(), config.projectionDim(), false));
        logitScale = addWeight("logit_scale", new Shape());
    }

    /** Returns the configuration the network was built from. */
    public ClipConfig config() {
        return config;
    }

    /** Returns the text tower. */
    public TextTransformer textModel() {
        return textModel;
    }

    /** Returns the image tower. */
    public VisionTransformer visionModel() {
        return visionModel;
    }

    /** Returns the learned temperature parameter (its log), as stored in the checkpoint. */
    public Parameter logitScale() {
        return logitScale;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.singletonOrThrow()));
    }

    /** Encodes token ids when the input contains integers, and images otherwise. */
    @Override
    public NDArray forward(ParameterStore parameterStore, NDArray input) {
        int rank = input.getShape().dimension();
        if (input.getDataType().isInteger() && rank == 2) {
            return textEmbeddings(parameterStore, input);
        }
        if (input.getDataType().isFloating() && rank == 4) {
            return imageEmbeddings(parameterStore, input);
        }
        throw new IllegalArgumentException(
                "CLIP takes integer token ids [batch, tokens] or floating-point pixel values"
                        + " [batch, channels, height, width], not " + input.getDataType() + " " + input.getShape());
    }

    /** Projects images {@code [batch, 3, size, size]} into the shared space: {@code [batch, projection_dim]}. */
    public NDArray imageEmbeddings(ParameterStore parameterStore, NDArray pixelValues) {
        NDArray pooled = visionModel.forward(parameterStore, pixelValues); // [batch, vision width]
        return visualProjection.forward(parameterStore, pooled);
    }

    /** Projects token ids {@code [batch, tokens]} into the shared space: {@code [batch, projection_dim]}. */
    public NDArray textEmbeddings(ParameterStore parameterStore, NDArray inputIds) {
        NDArray pooled = textModel.forward(parameterStore, inputIds); // [batch, text width]
        return textProjection.forward(parameterStore, pooled);
    }
}
