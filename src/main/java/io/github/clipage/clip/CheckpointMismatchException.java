package io.github.clipage.clip;

import java.util.List;

/** Thrown when a checkpoint's tensor names or shapes do not match the configured CLIP network. */
public class CheckpointMismatchException extends RuntimeException {

    private final List<String> unexpected;
    private final List<String> missing;
    private final List<String> wrongShape;

    /** Creates the exception from the three lists of problems, each possibly empty. */
    public CheckpointMismatchException(List<String> unexpected, List<String> missing, List<String> wrongShape) {
        super(describe(unexpected, missing, wrongShape));
        this.unexpected = List.copyOf(unexpected);
        this.missing = List.copyOf(missing);
        this.wrongShape = List.copyOf(wrongShape);
    }

    /** Returns the names in the file that the network does not use. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** Returns the parameters that the network needs and the file lacks. */
    public List<String> missing() {
        return missing;
    }

    /** Returns descriptions of tensors whose shape differs from the configured one. */
    public List<String> wrongShape() {
        return wrongShape;
    }

    private static String describe(List<String> unexpected, List<String> missing, List<String> wrongShape) {
        StringBuilder message = new StringBuilder("The checkpoint does not match its config.json.");
        if (!unexpected.isEmpty()) {
            message.append(" Tensors the model does not use: ").append(String.join(", ", unexpected)).append('.');
        }
        if (!missing.isEmpty()) {
            message.append(" Parameters missing from the file: ").append(String.join(", ", missing)).append('.');
        }
        if (!wrongShape.isEmpty()) {
            message.append(" Shapes that differ: ").append(String.join("; ", wrongShape)).append('.');
        }
        message.append(" Check that config.json and the weights come from the same CLIP checkpoint.");
        return message.toString();
    }
}
