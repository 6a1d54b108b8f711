package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DJL block whose parameters and sub-modules carry the names of a Hugging Face CLIP checkpoint.
 *
 * <p>DJL prefixes child names with their position ({@code 01encoder}); this class keeps the
 * checkpoint's own names beside them, so that {@link #namedWeights()} lists parameters exactly
 * as {@code model.safetensors} names them, such as {@code vision_model.encoder.layers.0.mlp.fc1.weight}.
 * Every parameter's shape is known from the configuration, so blocks are never shape-inferred:
 * they are usable once the checkpoint's arrays are set.
 */
public abstract class ClipBlock extends AbstractBlock {

    /**
     * A parameter with the shape that the configuration gives it.
     *
     * @param parameter the DJL parameter, whose array is set from the checkpoint
     * @param shape the shape the checkpoint's tensor must have
     */
    public record Weight(Parameter parameter, Shape shape) {}

    private final Map<String, Weight> ownWeights = new LinkedHashMap<>();
    private final Map<String, ClipBlock> modules = new LinkedHashMap<>();

    /** Declares a parameter with its checkpoint name and its exact shape. */
    protected final Parameter addWeight(String name, Shape shape) {
        Parameter parameter =
                addParameter(
                        Parameter.builder()
                                .setName(name)
                                .setType(Parameter.Type.OTHER)
                                .optRequiresGrad(false)
                                .build());
        ownWeights.put(name, new Weight(parameter, shape));
        return parameter;
    }

    /** Declares a sub-module with its checkpoint name. */
    protected final <B extends ClipBlock> B addModule(String name, B module) {
        addChildBlock(name, module);
        modules.put(name, module);
        return module;
    }

    /** Returns every parameter of this block and its sub-modules, keyed by checkpoint name. */
    public final Map<String, Weight> namedWeights() {
        Map<String, Weight> result = new LinkedHashMap<>();
        collectWeights("", result);
        return Collections.unmodifiableMap(result);
    }

    private void collectWeights(String prefix, Map<String, Weight> into) {
        ownWeights.forEach((name, weight) -> into.put(prefix + name, weight));
        modules.forEach((name, module) -> module.collectWeights(prefix + name + ".", into));
    }

    /** Returns a parameter's array on the device of {@code input}. */
    protected static NDArray valueOf(ParameterStore store, Parameter parameter, NDArray input) {
        return store.getValue(parameter, input.getDevice(), false);
    }

    /**
     * Moves the result of an operation called on a parameter's array to the manager of {@code input}.
     *
     * <p>DJL attaches a result to the manager of the array the operation is called on. Called on
     * a parameter, that is the model's manager, which lives as long as the model, so without this
     * every request would leave its activations behind.
     */
    protected static NDArray ownedLike(NDArray result, NDArray input) {
        result.attach(input.getManager());
        return result;
    }

    /** Runs the block on its single input array. */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.singletonOrThrow()));
    }

    /** Runs the block on one array. */
    public abstract NDArray forward(ParameterStore parameterStore, NDArray input);

    /** Returns the output shapes; blocks here are never shape-inferred, so this is not supported. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " takes its shapes from the CLIP configuration");
    }
}
