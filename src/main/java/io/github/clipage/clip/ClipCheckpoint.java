package io.github.clipage.clip;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a CLIP checkpoint in the Hugging Face layout.
 *
 * @param directory the folder that contains the files
 * @param configFile {@code config.json}
 * @param tokenizerFile {@code tokenizer.json}
 * @param weightsFile {@code model.safetensors}, or {@code pytorch_model.bin} where there is none
 */
public record ClipCheckpoint(Path directory, Path configFile, Path tokenizerFile, Path weightsFile) {

    /** File name of the configuration. */
    public static final String CONFIG = "config.json";

    /** File name of the tokenizer. */
    public static final String TOKENIZER = "tokenizer.json";

    /** File name of safetensors weights, preferred when present. */
    public static final String SAFETENSORS = "model.safetensors";

    /** File name of PyTorch weights. */
    public static final String PYTORCH_BIN = "pytorch_model.bin";

    /** Finds the checkpoint files in a folder, preferring safetensors weights. */
    public static ClipCheckpoint in(Path directory) throws FileNotFoundException {
        List<String> missing = new ArrayList<>();
        Path config = directory.resolve(CONFIG);
        Path tokenizer = directory.resolve(TOKENIZER);
        if (!Files.isRegularFile(config)) {
            missing.add(CONFIG);
        }
        if (!Files.isRegularFile(tokenizer)) {
            missing.add(TOKENIZER);
        }
        Path weights = directory.resolve(SAFETENSORS);
        if (!Files.isRegularFile(weights)) {
            weights = directory.resolve(PYTORCH_BIN);
        }
        if (!Files.isRegularFile(weights)) {
            missing.add(SAFETENSORS + " (or " + PYTORCH_BIN + ")");
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException(
                    "The CLIP checkpoint folder " + directory.toAbsolutePath() + " lacks " + String.join(", ", missing));
        }
        return new ClipCheckpoint(directory, config, tokenizer, weights);
    }

    /** Returns whether the weights are in PyTorch's pickle-based format. */
    public boolean hasPytorchWeights() {
        return weightsFile.getFileName().toString().equals(PYTORCH_BIN);
    }
}
