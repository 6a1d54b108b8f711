package io.github.clipage.clip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Turns a strided view of a PyTorch storage into row-major, little-endian bytes. */
final class PickleTensorLayout {

    private PickleTensorLayout() {
    }

    /**
     * Returns the elements of the view {@code storage[offset + sum(index[i] * stride[i])]} in
     * row-major order and little-endian. A contiguous little-endian view shares the storage's
     * bytes, any other is copied.
     *
     * @param offset the position of the first element, in elements
     * @param source the file and storage named in error messages
     */
    static ByteBuffer toRowMajor(ByteBuffer storage, ByteOrder order, int elementSize, long offset, long[] shape,
            long[] stride, String source) throws PickleException {
        long elementCount = CheckpointTensor.elementCount(shape);
        long storageElements = storage.capacity() / elementSize;
        if (elementCount == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }

        long lastElement = offset;
        for (int i = 0; i < shape.length; i++) {
            lastElement += (shape[i] - 1) * stride[i];
        }
        if (offset < 0 || lastElement >= storageElements) {
            throw new PickleException(source + ": a tensor of shape " + Arrays.toString(shape) + ", stride "
                    + Arrays.toString(stride) + " and offset " + offset + " reaches element " + lastElement
                    + ", but the storage has only " + storageElements);
        }
        int byteCount;
        try {
            byteCount = Math.toIntExact(elementCount * elementSize);
        } catch (ArithmeticException e) {
            throw new PickleException(source + ": a tensor of shape " + Arrays.toString(shape) + " exceeds 2 GiB, the"
                    + " largest buffer Java can hold");
        }

        if (order == ByteOrder.LITTLE_ENDIAN && isContiguous(shape, stride)) {
            int start = (int) (offset * elementSize);
            return storage.duplicate().position(start).limit(start + byteCount).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        return copyStrided(storage, order, elementSize, offset, shape, stride, byteCount);
    }

    /** Returns whether the strides are those of a row-major tensor; dimensions of size 1 may have any stride. */
    static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static ByteBuffer copyStrided(ByteBuffer storage, ByteOrder order, int elementSize, long offset, long[] shape,
            long[] stride, int byteCount) {
        ByteBuffer out = ByteBuffer.allocate(byteCount).order(ByteOrder.LITTLE_ENDIAN);
        boolean swap = order != ByteOrder.LITTLE_ENDIAN;
        long[] index = new long[shape.length];
        long source = offset;
        byte[] element = new byte[elementSize];

        while (out.hasRemaining()) {
            storage.get((int) (source * elementSize), element);
            if (swap) {
                reverse(element);
            }
            out.put(element);

            // Advance the index like an odometer, last dimension fastest, and keep the source position in step.
            for (int dimension = shape.length - 1; dimension >= 0; dimension--) {
                index[dimension]++;
                source += stride[dimension];
                if (index[dimension] < shape[dimension]) {
                    break;
                }
                source -= index[dimension] * stride[dimension];
                index[dimension] = 0;
            }
        }
        return out.flip();
    }

    private static void reverse(byte[] bytes) {
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
            byte swap = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = swap;
        }
    }
}
