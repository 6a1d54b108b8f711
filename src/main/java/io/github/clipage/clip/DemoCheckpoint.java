package io.github.clipage.clip;

import io.github.clipage.clip.SafetensorsWriter.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the {@code demo} model: a tiny CLIP with seeded random weights and a byte-level BPE
 * tokenizer built like CLIP's own, in the Hugging Face checkpoint layout.
 *
 * <p>It exists so that the API, Swagger UI and tests work with no download. Its weights are
 * noise, so the ages it gives mean nothing. The files are the same on every run and machine:
 * each tensor draws from {@link Random}, whose sequence Java specifies, seeded from its name.
 */
public final class DemoCheckpoint {

    /** The model id that selects this checkpoint. */
    public static final String MODEL_ID = "demo";

    /** Seed of the weights; changing it changes every demo answer and the reference values. */
    public static final long SEED = 20261204L;

    private static final int IMAGE_SIZE = 224;
    private static final int PATCH_SIZE = 32;
    private static final int WIDTH = 64;
    private static final int LAYERS = 2;
    private static final int HEADS = 4;
    private static final int CONTEXT_LENGTH = 77;
    private static final double INIT_STD = 0.02;
    private static final double LOGIT_SCALE = Math.log(1 / 0.07);

    // Words of the age prompts get whole-word tokens, as in CLIP's vocabulary; other text falls back to bytes.
    private static final List<String> MERGED_WORDS = List.of("this", "person", "is", "years", "old");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DemoCheckpoint() {}

    /** Writes {@code config.json}, {@code tokenizer.json} and {@code model.safetensors} into a folder. */
    public static void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        Vocabulary vocabulary = buildVocabulary();
        ClipConfig config = writeConfig(directory.resolve("config.json"), vocabulary.size());
        writeTokenizer(directory.resolve("tokenizer.json"), vocabulary);
        writeWeights(directory.resolve("model.safetensors"), config);
    }

    private static ClipConfig writeConfig(Path file, int vocabSize) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add("CLIPModel");
        root.put("model_type", "clip");
        root.put("projection_dim", WIDTH);
        root.put("logit_scale_init_value", LOGIT_SCALE);

        ObjectNode text = root.putObject("text_config");
        putTower(text);
        text.put("vocab_size", vocabSize);
        text.put("max_position_embeddings", CONTEXT_LENGTH);
        text.put("bos_token_id", vocabSize - 2);
        text.put("eos_token_id", vocabSize - 1);
        text.put("pad_token_id", vocabSize - 1);

        ObjectNode vision = root.putObject("vision_config");
        putTower(vision);
        vision.put("image_size", IMAGE_SIZE);
        vision.put("patch_size", PATCH_SIZE);
        vision.put("num_channels", 3);

        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return ClipConfig.fromJson(root);
    }

    private static void putTower(ObjectNode tower) {
        tower.put("hidden_size", WIDTH);
        tower.put("intermediate_size", 2 * WIDTH);
        tower.put("num_hidden_layers", LAYERS);
        tower.put("num_attention_heads", HEADS);
        tower.put("hidden_act", ClipConfig.Activation.QUICK_GELU.configName());
        tower.put("layer_norm_eps", 1e-5);
    }

    private static void writeWeights(Path file, ClipConfig config) throws IOException {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        new ClipModelBlock(config)
                .namedWeights()
                .forEach((name, weight) -> tensors.put(name, randomTensor(name, weight.shape().getShape())));
        SafetensorsWriter.write(file, tensors);
    }

    private static FloatTensor randomTensor(String name, long[] shape) {
        float[] values = new float[Math.toIntExact(CheckpointTensor.elementCount(shape))];
        if (name.equals("logit_scale")) {
            values[0] = (float) LOGIT_SCALE;
            return new FloatTensor(shape, values);
        }
        Random random = new Random(SEED ^ name.hashCode());
        // Layer-norm scales sit around 1, as in a trained network; everything else around 0.
        boolean isNormScale = name.contains("layer_norm") || name.contains("layrnorm");
        double offset = isNormScale && name.endsWith(".weight") ? 1.0 : 0.0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (offset + INIT_STD * random.nextGaussian());
        }
        return new FloatTensor(shape, values);
    }

    /** Token strings in id order, and the merges that build the whole-word tokens. */
    private record Vocabulary(List<String> tokens, List<String> merges) {
        int size() {
            return tokens.size();
        }
    }

    private static Vocabulary buildVocabulary() {
        List<String> tokens = new ArrayList<>();
        List<String> byteSymbols = byteLevelAlphabet();
        tokens.addAll(byteSymbols);
        byteSymbols.forEach(symbol -> tokens.add(symbol + "</w>"));

        List<String> merges = new ArrayList<>();
        for (String word : MERGED_WORDS) {
            String merged = String.valueOf(word.charAt(0));
            for (int i = 1; i < word.length(); i++) {
                String next = word.charAt(i) + (i == word.length() - 1 ? "</w>" : "");
                merges.add(merged + " " + next);
                merged = merged + next;
                if (!tokens.contains(merged)) {
                    tokens.add(merged);
                }
            }
        }
        tokens.add("<|startoftext|>");
        tokens.add(ClipTokenizer.END_OF_TEXT);
        return new Vocabulary(tokens, merges);
    }

    /**
     * Returns the 256 symbols of byte-level BPE in byte order: printable Latin-1 bytes stand for
     * themselves, the others are moved to code points from 256 up, so every byte is a visible character.
     */
    private static List<String> byteLevelAlphabet() {
        List<String> symbols = new ArrayList<>();
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            int codePoint = printable ? b : 256 + shifted++;
            symbols.add(new String(Character.toChars(codePoint)));
        }
        return symbols;
    }

    private static void writeTokenizer(Path file, Vocabulary vocabulary) throws IOException {
        int startId = vocabulary.size() - 2;
        int endId = vocabulary.size() - 1;
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecialToken(added, startId, "<|startoftext|>");
        addSpecialToken(added, endId, ClipTokenizer.END_OF_TEXT);

        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode normalizers = normalizer.putArray("normalizers");
        normalizers.addObject().put("type", "NFC");
        ObjectNode whitespace = normalizers.addObject().put("type", "Replace");
        whitespace.putObject("pattern").put("Regex", "\\s+");
        whitespace.put("content", " ");
        normalizers.addObject().put("type", "Lowercase");

        ObjectNode preTokenizer = root.putObject("pre_tokenizer");
        preTokenizer.put("type", "Sequence");
        ArrayNode preTokenizers = preTokenizer.putArray("pretokenizers");
        ObjectNode split = preTokenizers.addObject().put("type", "Split");
        // CLIP's word pattern: special tokens, English contractions, letter runs, single digits, other symbol runs.
        split.putObject("pattern").put("Regex",
                "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+");
        split.put("behavior", "Removed");
        split.put("invert", true);
        preTokenizers.addObject().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", false);

        ObjectNode postProcessor = root.putObject("post_processor");
        postProcessor.put("type", "RobertaProcessing");
        postProcessor.putArray("sep").add(ClipTokenizer.END_OF_TEXT).add(endId);
        postProcessor.putArray("cls").add("<|startoftext|>").add(startId);
        postProcessor.put("trim_offsets", false);
        postProcessor.put("add_prefix_space", false);

        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);

        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", ClipTokenizer.END_OF_TEXT);
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "</w>");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < vocabulary.size(); id++) {
            vocab.put(vocabulary.tokens().get(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        vocabulary.merges().forEach(merges::add);

        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static void addSpecialToken(ArrayNode added, int id, String content) {
        added.addObject()
                .put("id", id)
                .put("content", content)
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", true)
                .put("special", true);
    }
}
