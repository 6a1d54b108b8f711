package io.github.clipage.clip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the demo checkpoint and the token ids of {@link #PROMPTS} into a folder, as input for
 * {@code tools/clip_reference.py embed}; the commands are in {@code tools/README.md}.
 */
public final class DemoReferenceExport {

    /** Prompts whose ids the reference values are computed from. */
    static final List<String> PROMPTS =
            List.of("this person is 1 years old", "this person is 42 years old", "this person is 99 years old");

    private DemoReferenceExport() {}

    /** Takes the output folder as its only argument. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("Usage: DemoReferenceExport OUTPUT_FOLDER");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        SyntheticCheckpoint.writeDemo(directory);

        List<long[]> inputIds = new ArrayList<>();
        try (ClipTokenizer tokenizer = ClipTokenizer.load(directory.resolve("tokenizer.json"), 77)) {
            for (String prompt : PROMPTS) {
                inputIds.add(tokenizer.encode(prompt));
            }
        }
        Files.writeString(directory.resolve("input-ids.json"), JsonMapper.builder().build().writeValueAsString(inputIds));
    }
}
