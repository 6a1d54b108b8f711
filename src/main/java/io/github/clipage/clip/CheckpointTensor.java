package io.github.clipage.clip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor read from a checkpoint file.
 *
 * @param name the parameter name in the checkpoint, such as {@code visual_projection.weight}
 * @param type the element type as stored in the file
 * @param shape the dimensions, outermost first
 * @param data the elements in row-major order, little-endian, positioned at the first byte
 */
public record CheckpointTensor(String name, TensorType type, long[] shape, ByteBuffer data) {

    /** Checks that the data contains exactly the elements that the shape and type call for. */
    public CheckpointTensor {
        long expectedBytes = elementCount(shape) * type.byteSize();
        if (data.remaining() != expectedBytes) {
            throw new IllegalArgumentException(
                    "Tensor " + name + " of shape " + Arrays.toString(shape) + " and type " + type
                            + " needs " + expectedBytes + " bytes but has " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Returns the number of elements in a tensor of the given shape. */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }
}
