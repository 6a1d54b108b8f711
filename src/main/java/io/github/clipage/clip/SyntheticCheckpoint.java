package io.github.clipage.clip;

import io.github.clipage.clip.SafetensorsWriter.FloatTensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes CLIP checkpoints with seeded random weights and a byte-level BPE tokenizer built like
 * CLIP's own, in the Hugging Face checkpoint layout.
 *
 * <p>The {@link #DEMO} shape is the {@code demo} model, which lets the API, Swagger UI and tests
 * work with no download. Full-size shapes such as {@link #VIT_B_32} cost what the real model
 * costs to load and run, so they give real timings. Their weights are noise: the ages they give
 * mean nothing. The files are the same on every run and machine, because each tensor draws from
 * {@link Random}, whose sequence Java specifies, seeded from the seed and the tensor's name.
 */
public final class SyntheticCheckpoint {

    /**
     * Sizes of a CLIP network.
     *
     * @param name the shape's name on the command line
     * @param imageSize side of the input image in pixels
     * @param patchSize side of one patch in pixels
     * @param visionWidth width of the image tower
     * @param visionLayers layers of the image tower
     * @param visionHeads attention heads of the image tower
     * @param textWidth width of the text tower
     * @param textLayers layers of the text tower
     * @param textHeads attention heads of the text tower
     * @param vocabSize tokens in the vocabulary; 0 for just the byte-level tokens, merges and the two special tokens
     * @param projectionDim width of the shared embedding space
     */
    public record Shape(String name, int imageSize, int patchSize, int visionWidth, int visionLayers, int visionHeads,
            int textWidth, int textLayers, int textHeads, int vocabSize, int projectionDim) {}

    /** The demo model: image size and patches of ViT-B/32, but two narrow layers per tower. */
    public static final Shape DEMO = new Shape("demo", 224, 32, 64, 2, 4, 64, 2, 4, 0, 64);

    /** The sizes of OpenAI's ViT-B/32, the service's default model. */
    public static final Shape VIT_B_32 = new Shape("vit-b-32", 224, 32, 768, 12, 12, 512, 12, 8, 49408, 512);

    /** The sizes of OpenAI's ViT-B/16. */
    public static final Shape VIT_B_16 = new Shape("vit-b-16", 224, 16, 768, 12, 12, 512, 12, 8, 49408, 512);

    /** The sizes of OpenAI's ViT-L/14. */
    public static final Shape VIT_L_14 = new Shape("vit-l-14", 224, 14, 1024, 24, 16, 768, 12, 12, 49408, 768);

    /** The model id that selects the demo model. */
    public static final String DEMO_MODEL_ID = "demo";

    /** Seed of the demo weights; changing it changes every demo estimate and the reference values. */
    public static final long DEMO_SEED = 20261204L;

    private static final int EXIT_FAILURE = 1;
    private static final int EXIT_USAGE = 2;

    private static final int CONTEXT_LENGTH = 77;
    private static final double INIT_STD = 0.02;
    private static final double LOGIT_SCALE = Math.log(1 / 0.07);

    // Words of the age prompts get whole-word tokens, as in CLIP's vocabulary; other text falls back to bytes.
    private static final List<String> MERGED_WORDS = List.of("this", "person", "is", "years", "old");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SyntheticCheckpoint() {}

    /**
     * Writes a checkpoint from the command line: {@code SHAPE FOLDER [SEED]}, for example
     * {@code vit-b-32 /tmp/clip-b32 1}. Returns the process exit code.
     */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /**
     * Writes a checkpoint from the command line, printing the result to {@code out} and one-line
     * errors to {@code err}. Returns 0 on success, 2 for invalid arguments or a folder that is not
     * empty, and 1 when writing fails.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3) {
            err.println("Usage: synthetic-checkpoint SHAPE FOLDER [SEED], with SHAPE one of demo, vit-b-32,"
                    + " vit-b-16, vit-l-14. Writes a CLIP checkpoint with seeded random weights, for tests and timings.");
            return EXIT_USAGE;
        }

        Shape shape;
        long seed;
        try {
            shape = shapeNamed(args[0]);
            seed = args.length == 3 ? parseSeed(args[2]) : 1L;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return EXIT_USAGE;
        }

        Path folder = Path.of(args[1]).toAbsolutePath();
        try {
            if (isNonEmptyFolder(folder)) {
                err.println("The folder " + folder + " exists and is not empty. Choose a new or empty folder");
                return EXIT_USAGE;
            }
            write(folder, shape, seed);
        } catch (IOException e) {
            err.println("Writing the checkpoint to " + folder + " failed: " + e
                    + ". Check that the folder can be created and written");
            return EXIT_FAILURE;
        }

        out.println("Wrote a " + shape.name() + " CLIP checkpoint with seed " + seed + " to " + folder
                + " (config.json, tokenizer.json, model.safetensors)");
        return 0;
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid seed '" + text + "': expected a whole number, such as 1");
        }
    }

    private static boolean isNonEmptyFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isPresent();
        }
    }

    /** Writes the demo model's {@code config.json}, {@code tokenizer.json} and {@code model.safetensors}. */
    public static void writeDemo(Path directory) throws IOException {
        write(directory, DEMO, DEMO_SEED);
    }

    /** Writes {@code config.json}, {@code tokenizer.json} and {@code model.safetensors} of a shape into a folder. */
    public static void write(Path directory, Shape shape, long seed) throws IOException {
        Files.createDirectories(directory);
        Vocabulary vocabulary = buildVocabulary(shape.vocabSize());
        ClipConfig config = writeConfig(directory.resolve("config.json"), shape, vocabulary.size());
        writeTokenizer(directory.resolve("tokenizer.json"), vocabulary);
        writeWeights(directory.resolve("model.safetensors"), config, seed);
    }

    /** Returns the shape with the given name, such as {@code vit-b-32}. */
    public static Shape shapeNamed(String name) {
        for (Shape shape : List.of(DEMO, VIT_B_32, VIT_B_16, VIT_L_14)) {
            if (shape.name().equals(name)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("Invalid shape '" + name + "': use demo, vit-b-32, vit-b-16 or vit-l-14");
    }

    private static ClipConfig writeConfig(Path file, Shape shape, int vocabSize) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add("CLIPModel");
        root.put("model_type", "clip");
        root.put("projection_dim", shape.projectionDim());
        root.put("logit_scale_init_value", LOGIT_SCALE);

        ObjectNode text = root.putObject("text_config");
        putTower(text, shape.textWidth(), shape.textLayers(), shape.textHeads());
        text.put("vocab_size", vocabSize);
        text.put("max_position_embeddings", CONTEXT_LENGTH);
        text.put("bos_token_id", vocabSize - 2);
        text.put("eos_token_id", vocabSize - 1);
        text.put("pad_token_id", vocabSize - 1);

        ObjectNode vision = root.putObject("vision_config");
        putTower(vision, shape.visionWidth(), shape.visionLayers(), shape.visionHeads());
        vision.put("image_size", shape.imageSize());
        vision.put("patch_size", shape.patchSize());
        vision.put("num_channels", 3);

        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return ClipConfig.fromJson(root);
    }

    private static void putTower(ObjectNode tower, int width, int layers, int heads) {
        // CLIP's feed-forward layers are four times as wide as the residual stream; the demo's are twice.
        int expansion = width <= 64 ? 2 : 4;
        tower.put("hidden_size", width);
        tower.put("intermediate_size", expansion * width);
        tower.put("num_hidden_layers", layers);
        tower.put("num_attention_heads", heads);
        tower.put("hidden_act", ClipConfig.Activation.QUICK_GELU.configName());
        tower.put("layer_norm_eps", 1e-5);
    }

    private static void writeWeights(Path file, ClipConfig config, long seed) throws IOException {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        new ClipModelBlock(config)
                .namedWeights()
                .forEach((name, weight) -> tensors.put(name, randomTensor(name, weight.shape().getShape(), seed)));
        SafetensorsWriter.write(file, tensors);
    }

    private static FloatTensor randomTensor(String name, long[] shape, long seed) {
        float[] values = new float[Math.toIntExact(CheckpointTensor.elementCount(shape))];
        if (name.equals("logit_scale")) {
            values[0] = (float) LOGIT_SCALE;
            return new FloatTensor(shape, values);
        }
        Random random = new Random(seed ^ name.hashCode());
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

    private static Vocabulary buildVocabulary(int vocabSize) {
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
        // Fillers bring the vocabulary to its configured size; no merge produces them.
        int fillers = vocabSize == 0 ? 0 : vocabSize - tokens.size() - 2;
        if (fillers < 0) {
            throw new IllegalArgumentException("A vocabulary of " + vocabSize + " cannot hold the " + (tokens.size() + 2)
                    + " byte-level, merged and special tokens");
        }
        for (int i = 0; i < fillers; i++) {
            tokens.add("<|unused_" + i + "|>");
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
