package io.github.clipage.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Image preparation for the image tower: the resize and crop size and the per-channel
 * normalisation, from a Hugging Face {@code preprocessor_config.json} ({@code CLIPImageProcessor})
 * when the checkpoint has one, otherwise OpenAI's values.
 *
 * @param size side of the centre crop, which is also the length the shorter side is resized to
 * @param mean per-channel RGB mean, on the 0..1 scale
 * @param std per-channel RGB standard deviation, on the 0..1 scale
 */
public record ImageProcessorConfig(int size, float[] mean, float[] std) {

    /** File name in a checkpoint folder. */
    public static final String FILE_NAME = "preprocessor_config.json";

    /** Per-channel RGB mean that OpenAI's CLIP was trained with. */
    public static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

    /** Per-channel RGB standard deviation that OpenAI's CLIP was trained with. */
    public static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    // PIL's code for bicubic resampling, the only one the preprocessing implements.
    private static final int PIL_BICUBIC = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Returns OpenAI's preprocessing for an image tower of {@code imageSize} pixels. */
    public static ImageProcessorConfig openAi(int imageSize) {
        return new ImageProcessorConfig(imageSize, OPENAI_MEAN.clone(), OPENAI_STD.clone());
    }

    /**
     * Reads the checkpoint's {@code preprocessor_config.json}, or returns OpenAI's values when
     * the folder has none.
     *
     * @throws IOException when the file is invalid, or requests a preprocessing this service does
     *     not implement or a size the image tower cannot take
     */
    public static ImageProcessorConfig readOrDefault(Path checkpointDirectory, int imageSize) throws IOException {
        Path file = checkpointDirectory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return openAi(imageSize);
        }
        try {
            return fromJson(JSON.readTree(Files.readString(file)), imageSize);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IOException("Invalid " + file + ": " + e.getMessage(), e);
        }
    }

    /** Builds the configuration from a parsed {@code CLIPImageProcessor} configuration. */
    public static ImageProcessorConfig fromJson(JsonNode root, int imageSize) {
        requireTrue(root, "do_resize");
        requireTrue(root, "do_center_crop");
        requireTrue(root, "do_normalize");
        requireTrue(root, "do_convert_rgb");
        JsonNode resample = root.get("resample");
        if (resample != null && resample.asInt() != PIL_BICUBIC) {
            throw new IllegalArgumentException("resample " + resample + " is not bicubic (3), the only one supported");
        }
        JsonNode rescale = root.get("rescale_factor");
        if (rescale != null && Math.abs(rescale.asDouble() - 1.0 / 255) > 1e-9) {
            throw new IllegalArgumentException("rescale_factor " + rescale + " is not 1/255, the only one supported");
        }

        int shortestEdge = sizeOf(root.get("size"), "shortest_edge", imageSize);
        int crop = sizeOf(root.get("crop_size"), "height", imageSize);
        int cropWidth = sizeOf(root.get("crop_size"), "width", crop);
        if (shortestEdge != crop || cropWidth != crop) {
            throw new IllegalArgumentException("resize to " + shortestEdge + " and crop to " + crop + " x " + cropWidth
                    + " differ; only a square crop of the resized shorter side is supported");
        }
        if (crop != imageSize) {
            throw new IllegalArgumentException("crop size " + crop + " does not match the image tower's image_size "
                    + imageSize + " in config.json");
        }
        return new ImageProcessorConfig(crop, channels(root, "image_mean", OPENAI_MEAN), channels(root, "image_std", OPENAI_STD));
    }

    // Older files give sizes as a number, newer ones as {"shortest_edge": n} or {"height": h, "width": w}.
    private static int sizeOf(JsonNode node, String key, int fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isIntegralNumber()) {
            return node.asInt();
        }
        JsonNode value = node.get(key);
        if (value == null || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("size " + node + " has no integer " + key);
        }
        return value.asInt();
    }

    private static float[] channels(JsonNode root, String key, float[] fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback.clone();
        }
        if (!node.isArray() || node.size() != 3) {
            throw new IllegalArgumentException(key + " must list 3 channel values, not " + node);
        }
        float[] values = new float[3];
        for (int i = 0; i < 3; i++) {
            values[i] = (float) node.get(i).asDouble();
        }
        return values;
    }

    private static void requireTrue(JsonNode root, String key) {
        JsonNode value = root.get(key);
        if (value != null && !value.asBoolean()) {
            throw new IllegalArgumentException(key + " is false; the service always applies this step");
        }
    }
}
