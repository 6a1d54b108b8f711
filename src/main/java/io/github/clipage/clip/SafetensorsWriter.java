package io.github.clipage.clip;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes float32 tensors as a {@code .safetensors} file. */
public final class SafetensorsWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SafetensorsWriter() {}

    /**
     * A float32 tensor to write.
     *
     * @param shape the dimensions, outermost first
     * @param values the elements in row-major order
     */
    public record FloatTensor(long[] shape, float[] values) {}

    /** Writes the tensors in the map's order, each stored as little-endian {@code F32}. */
    public static void write(Path file, Map<String, FloatTensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, FloatTensor> entry : tensors.entrySet()) {
            FloatTensor tensor = entry.getValue();
            long bytes = 4L * tensor.values().length;
            if (CheckpointTensor.elementCount(tensor.shape()) != tensor.values().length) {
                throw new IllegalArgumentException("Tensor " + entry.getKey() + " has a shape that does not match its values");
            }
            ObjectNode description = header.putObject(entry.getKey());
            description.put("dtype", TensorType.F32.safetensorsCode());
            ArrayNode shape = description.putArray("shape");
            for (long dimension : tensor.shape()) {
                shape.add(dimension);
            }
            description.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }

        byte[] headerBytes = paddedHeader(JSON.writeValueAsString(header));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            for (FloatTensor tensor : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(4 * tensor.values().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(tensor.values());
                out.write(data.array());
            }
        }
    }

    // The format pads the header with spaces so that the data starts on an 8-byte boundary.
    private static byte[] paddedHeader(String json) {
        StringBuilder padded = new StringBuilder(json);
        while ((padded.toString().getBytes(StandardCharsets.UTF_8).length + 8) % 8 != 0) {
            padded.append(' ');
        }
        return padded.toString().getBytes(StandardCharsets.UTF_8);
    }
}
