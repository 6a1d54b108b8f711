package io.github.clipage.prediction;

import io.github.clipage.clip.ClipTokenizer;
import io.github.clipage.clip.SyntheticCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the full-size ViT-B/32-shaped synthetic checkpoint of {@link #SEED} and the token ids of the
 * reference age prompts into a folder, as input for {@code tools/pipeline_reference.py}; the commands are in
 * {@code tools/README.md}.
 */
public final class PipelineReferenceExport {

    /** The seed of the checkpoint's random weights, shared with {@code PipelineParityTest}. */
    static final long SEED = 1;

    /** The token ids file that {@code tools/pipeline_reference.py} reads. */
    static final String INPUT_IDS_FILE = "input-ids.json";

    private PipelineReferenceExport() {}

    /** Takes the output folder as its only argument. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("Usage: PipelineReferenceExport OUTPUT_FOLDER");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        SyntheticCheckpoint.write(directory, SyntheticCheckpoint.VIT_B_32, SEED);

        List<long[]> inputIds = new ArrayList<>();
        try (ClipTokenizer tokenizer = ClipTokenizer.load(directory.resolve("tokenizer.json"), 77)) {
            for (String sentence : AgePrompts.REFERENCE.sentences()) {
                inputIds.add(tokenizer.encode(sentence));
            }
        }
        Files.writeString(directory.resolve(INPUT_IDS_FILE), JsonMapper.builder().build().writeValueAsString(inputIds));
    }
}
