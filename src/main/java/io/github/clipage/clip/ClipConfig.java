package io.github.clipage.clip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Shape of a CLIP network, read from a Hugging Face {@code config.json} (a {@code CLIPConfig}).
 *
 * <p>Missing keys take the defaults of Hugging Face's {@code CLIPTextConfig} and {@code
 * CLIPVisionConfig}, which are the values of OpenAI's ViT-B/32, so a file written by
 * transformers reads the same here as there.
 *
 * @param text the text tower
 * @param vision the image tower
 * @param projectionDim width of the shared embedding space
 * @param logitScaleInitValue the natural log of the temperature the checkpoint was trained from
 */
public record ClipConfig(
        TowerConfig text, TowerConfig vision, int projectionDim, double logitScaleInitValue) {

    /**
     * Shape of one transformer tower.
     *
     * @param hiddenSize width of the residual stream
     * @param intermediateSize width of the feed-forward layer
     * @param numHiddenLayers number of encoder layers
     * @param numAttentionHeads number of attention heads per layer
     * @param hiddenAct activation of the feed-forward layer
     * @param layerNormEps epsilon of every layer norm
     * @param vocabSize token vocabulary size (text tower only, 0 for the image tower)
     * @param maxPositionEmbeddings number of token positions (text tower only)
     * @param imageSize side of the square input image in pixels (image tower only)
     * @param patchSize side of one square patch in pixels (image tower only)
     * @param numChannels colour channels of the input image (image tower only)
     */
    public record TowerConfig(
            int hiddenSize,
            int intermediateSize,
            int numHiddenLayers,
            int numAttentionHeads,
            Activation hiddenAct,
            double layerNormEps,
            int vocabSize,
            int maxPositionEmbeddings,
            int imageSize,
            int patchSize,
            int numChannels) {

        /** Checks that the sizes are positive and that the heads divide the width. */
        public TowerConfig {
            requirePositive("hidden_size", hiddenSize);
            requirePositive("intermediate_size", intermediateSize);
            requirePositive("num_hidden_layers", numHiddenLayers);
            requirePositive("num_attention_heads", numAttentionHeads);
            if (hiddenSize % numAttentionHeads != 0) {
                throw new IllegalArgumentException(
                        "hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                                + numAttentionHeads);
            }
            if (imageSize > 0 && (patchSize <= 0 || imageSize % patchSize != 0)) {
                throw new IllegalArgumentException(
                        "image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
            }
        }

        /** Returns the width of one attention head. */
        public int headDim() {
            return hiddenSize / numAttentionHeads;
        }

        /** Returns the number of patches along one side of the image. */
        public int patchesPerSide() {
            return imageSize / patchSize;
        }

        /** Returns the number of image positions: one per patch plus the class token. */
        public int numImagePositions() {
            return patchesPerSide() * patchesPerSide() + 1;
        }
    }

    /** Activation of the feed-forward layers, as named by {@code hidden_act}. */
    public enum Activation {
        /** {@code x * sigmoid(1.702 x)}, the approximation OpenAI trained CLIP with. */
        QUICK_GELU("quick_gelu"),
        /** The exact GELU, {@code x * Phi(x)}. */
        GELU("gelu");

        private final String configName;

        Activation(String configName) {
            this.configName = configName;
        }

        /** Returns the name used in {@code config.json}. */
        public String configName() {
            return configName;
        }

        /** Returns the activation named by a {@code hidden_act} value. */
        public static Activation fromConfigName(String name) {
            for (Activation activation : values()) {
                if (activation.configName.equals(name)) {
                    return activation;
                }
            }
            throw new IllegalArgumentException(
                    "Unsupported hidden_act \"" + name + "\": expected quick_gelu or gelu");
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Reads a {@code config.json} file. */
    public static ClipConfig read(Path configFile) throws IOException {
        try {
            return fromJson(JSON.readTree(Files.readString(configFile)));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IOException("Invalid CLIP config " + configFile + ": " + e.getMessage(), e);
        }
    }

    /** Builds the configuration from the parsed JSON of a {@code CLIPConfig}. */
    public static ClipConfig fromJson(JsonNode root) {
        JsonNode text = section(root, "text_config");
        JsonNode vision = section(root, "vision_config");
        TowerConfig textTower =
                new TowerConfig(
                        intOr(text, "hidden_size", 512),
                        intOr(text, "intermediate_size", 2048),
                        intOr(text, "num_hidden_layers", 12),
                        intOr(text, "num_attention_heads", 8),
                        Activation.fromConfigName(stringOr(text, "hidden_act", "quick_gelu")),
                        doubleOr(text, "layer_norm_eps", 1e-5),
                        intOr(text, "vocab_size", 49408),
                        intOr(text, "max_position_embeddings", 77),
                        0,
                        0,
                        0);
        TowerConfig visionTower =
                new TowerConfig(
                        intOr(vision, "hidden_size", 768),
                        intOr(vision, "intermediate_size", 3072),
                        intOr(vision, "num_hidden_layers", 12),
                        intOr(vision, "num_attention_heads", 12),
                        Activation.fromConfigName(stringOr(vision, "hidden_act", "quick_gelu")),
                        doubleOr(vision, "layer_norm_eps", 1e-5),
                        0,
                        0,
                        intOr(vision, "image_size", 224),
                        intOr(vision, "patch_size", 32),
                        intOr(vision, "num_channels", 3));
        return new ClipConfig(
                textTower,
                visionTower,
                intOr(root, "projection_dim", 512),
                doubleOr(root, "logit_scale_init_value", 2.6592));
    }

    // Older transformers releases wrote the towers under "text_config_dict" and "vision_config_dict".
    private static JsonNode section(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            node = root.get(name + "_dict");
        }
        if (node == null || node.isNull()) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(name + " is not an object");
        }
        return node;
    }

    private static int intOr(JsonNode node, String key, int fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " is not an integer: " + value);
        }
        return value.intValue();
    }

    private static double doubleOr(JsonNode node, String key, double fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(key + " is not a number: " + value);
        }
        return value.doubleValue();
    }

    private static String stringOr(JsonNode node, String key, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return value.asString();
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive but is " + value);
        }
    }
}
