package io.github.clipage.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Embeddings that {@code tools/clip_reference.py embed} computed with PyTorch, and the inputs
 * they were computed from.
 */
record ReferenceEmbeddings(long[][] inputIds, float[][] textEmbeds, float[][] imageEmbeds, long[] textHiddenShape,
        long[] visionHiddenShape) {

    static ReferenceEmbeddings read(Path file) throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file));
        return new ReferenceEmbeddings(
                longMatrix(root.get("input_ids")),
                floatMatrix(root.get("text_embeds")),
                floatMatrix(root.get("image_embeds")),
                longVector(root.get("text_last_hidden_state_shape")),
                longVector(root.get("vision_last_hidden_state_shape")));
    }

    /**
     * Builds the script's formula images, {@code [count, 3, size, size]}, computed in double and
     * stored as float exactly as the script does.
     */
    static float[] formulaPixels(int count, int size) {
        float[] pixels = new float[count * 3 * size * size];
        int index = 0;
        for (int b = 0; b < count; b++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        pixels[index++] = (float) (Math.sin(0.05 * (x + 1) * (c + 1) + 0.03 * (y + 1) * (b + 1)) * 2);
                    }
                }
            }
        }
        return pixels;
    }

    private static long[][] longMatrix(JsonNode node) {
        long[][] rows = new long[node.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = longVector(node.get(i));
        }
        return rows;
    }

    private static long[] longVector(JsonNode node) {
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = node.get(i).asLong();
        }
        return values;
    }

    private static float[][] floatMatrix(JsonNode node) {
        float[][] rows = new float[node.size()][];
        for (int i = 0; i < rows.length; i++) {
            JsonNode row = node.get(i);
            rows[i] = new float[row.size()];
            for (int j = 0; j < row.size(); j++) {
                rows[i][j] = (float) row.get(j).asDouble();
            }
        }
        return rows;
    }
}
