package io.github.clipage.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sets a CLIP network's parameters from checkpoint tensors, name by name.
 *
 * <p>The mapping is strict: every tensor in the file must be a parameter of the network or a
 * known buffer, every parameter must be in the file, and every shape must match. A checkpoint of
 * another architecture or a config.json from another model is rejected, not half loaded.
 */
public final class CheckpointLoader {

    /** Buffers that some checkpoints carry and the network does not need: positions are 0..n-1. */
    public static final Set<String> KNOWN_BUFFERS =
            Set.of("text_model.embeddings.position_ids", "vision_model.embeddings.position_ids");

    private CheckpointLoader() {}

    /**
     * Loads the tensors into the block's parameters, as arrays of {@code dataType} owned by {@code manager}.
     *
     * @throws CheckpointMismatchException when names or shapes do not match
     */
    public static void load(ClipBlock block, Map<String, CheckpointTensor> tensors, NDManager manager, DataType dataType) {
        Map<String, ClipBlock.Weight> weights = block.namedWeights();
        checkNamesAndShapes(weights, tensors);

        for (Map.Entry<String, ClipBlock.Weight> entry : weights.entrySet()) {
            CheckpointTensor tensor = tensors.get(entry.getKey());
            try (NDArray fileView = manager.create(tensor.data(), new Shape(tensor.shape()), tensor.type().dataType())) {
                entry.getValue().parameter().setArray(ownedCopy(fileView, dataType));
            }
        }
    }

    /**
     * Copies an array that views the memory-mapped file into memory of its own. The view must not
     * outlive the mapping, which the garbage collector may release at any time; and PyTorch's
     * {@code to(dtype)} returns the same storage when the type does not change, so a conversion
     * alone is not a copy.
     */
    private static NDArray ownedCopy(NDArray fileView, DataType dataType) {
        if (fileView.getDataType() == dataType) {
            return fileView.duplicate();
        }
        return fileView.toType(dataType, false);
    }

    private static void checkNamesAndShapes(Map<String, ClipBlock.Weight> parameters, Map<String, CheckpointTensor> tensors) {
        List<String> unexpected = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();

        for (String name : tensors.keySet()) {
            if (!parameters.containsKey(name) && !KNOWN_BUFFERS.contains(name)) {
                unexpected.add(name);
            }
        }
        for (Map.Entry<String, ClipBlock.Weight> entry : parameters.entrySet()) {
            CheckpointTensor tensor = tensors.get(entry.getKey());
            if (tensor == null) {
                missing.add(entry.getKey());
                continue;
            }
            Shape expected = entry.getValue().shape();
            if (!expected.equals(new Shape(tensor.shape()))) {
                wrongShape.add(entry.getKey() + " is " + Arrays.toString(tensor.shape()) + " in the file, "
                        + Arrays.toString(expected.getShape()) + " in the config");
            }
            if (!tensor.type().isFloatingPoint()) {
                wrongShape.add(entry.getKey() + " has element type " + tensor.type() + ", not a floating-point type");
            }
        }

        if (!unexpected.isEmpty() || !missing.isEmpty() || !wrongShape.isEmpty()) {
            throw new CheckpointMismatchException(unexpected, missing, wrongShape);
        }
    }
}
