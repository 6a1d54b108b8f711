package io.github.clipage.clip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads tensors from a {@code .safetensors} file: an 8-byte little-endian header length, a JSON
 * header that gives each tensor's dtype, shape and byte range, then the raw data.
 *
 * <p>Each tensor's bytes are memory-mapped, not copied, so a large checkpoint costs no heap.
 */
public final class SafetensorsReader {

    // A header larger than this is not a real checkpoint's: CLIP ViT-L/14 needs about 60 KB.
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SafetensorsReader() {}

    /** Reads every tensor of a file, in the header's order. */
    public static Map<String, CheckpointTensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            long headerSize = readHeaderSize(channel, file, fileSize);
            JsonNode header = readHeader(channel, file, headerSize);
            long dataStart = 8 + headerSize;

            Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : header.properties()) {
                if (entry.getKey().equals("__metadata__")) {
                    continue;
                }
                tensors.put(entry.getKey(), readTensor(channel, file, entry.getKey(), entry.getValue(), dataStart, fileSize));
            }
            return tensors;
        }
    }

    private static long readHeaderSize(FileChannel channel, Path file, long fileSize) throws IOException {
        if (fileSize < 8) {
            throw invalid(file, "the file has " + fileSize + " bytes, fewer than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerSize = lengthBytes.getLong(0);
        if (headerSize <= 0 || headerSize > MAX_HEADER_BYTES || headerSize > fileSize - 8) {
            throw invalid(file, "header length " + headerSize + " does not fit a file of " + fileSize + " bytes");
        }
        return headerSize;
    }

    private static JsonNode readHeader(FileChannel channel, Path file, long headerSize) throws IOException {
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerSize);
        readFully(channel, headerBytes, 8);
        try {
            JsonNode header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            if (!header.isObject()) {
                throw invalid(file, "the header is not a JSON object");
            }
            return header;
        } catch (JacksonException e) {
            throw invalid(file, "the header is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static CheckpointTensor readTensor(
            FileChannel channel, Path file, String name, JsonNode entry, long dataStart, long fileSize)
            throws IOException {
        JsonNode dtype = entry.get("dtype");
        JsonNode shapeNode = entry.get("shape");
        JsonNode offsets = entry.get("data_offsets");
        if (dtype == null || shapeNode == null || offsets == null || !shapeNode.isArray() || offsets.size() != 2) {
            throw invalid(file, "tensor " + name + " lacks dtype, shape or data_offsets");
        }

        TensorType type;
        try {
            type = TensorType.fromSafetensorsCode(dtype.asString());
        } catch (IllegalArgumentException e) {
            throw invalid(file, "tensor " + name + ": " + e.getMessage());
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            if (shape[i] < 0) {
                throw invalid(file, "tensor " + name + " has a negative dimension");
            }
        }

        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        long expectedBytes = CheckpointTensor.elementCount(shape) * type.byteSize();
        if (begin < 0 || end < begin || dataStart + end > fileSize || end - begin != expectedBytes) {
            throw invalid(file, "tensor " + name + " has data_offsets [" + begin + ", " + end
                    + "] that do not match its " + expectedBytes + " bytes within the file");
        }
        ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin);
        return new CheckpointTensor(name, type, shape, data);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new IOException("Unexpected end of file");
            }
        }
    }

    private static IOException invalid(Path file, String reason) {
        return new IOException("Invalid safetensors file " + file + ": " + reason);
    }
}
