import io.github.clipage.clip.ClipTokenizer;
import io.github.clipage.prediction.AgePrompts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the token ids of the reference prompts ("this person is 1 years old" to "... 99 years
 * old") as a JSON list of lists, encoded with the service's own tokenizer class and a checkpoint's
 * {@code tokenizer.json}, so that {@code tools/python_baseline.py} builds the same text matrix.
 *
 * <p>Run it on the classes of the built service, for example from the unpacked jar:
 * {@code java -cp "DIR/BOOT-INF/classes:DIR/BOOT-INF/lib/*" tools/bench/EncodePrompts.java CHECKPOINT OUT.json}.
 */
public final class EncodePrompts {

    private static final int CONTEXT_LENGTH = 77;

    private EncodePrompts() {}

    /** Takes the checkpoint folder and the output file. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("Usage: EncodePrompts CHECKPOINT_FOLDER OUTPUT.json");
            System.exit(2);
        }
        Path tokenizerJson = Path.of(args[0]).resolve("tokenizer.json");
        List<String> rows = new ArrayList<>();
        try (ClipTokenizer tokenizer = ClipTokenizer.load(tokenizerJson, CONTEXT_LENGTH)) {
            for (String sentence : AgePrompts.REFERENCE.sentences()) {
                StringBuilder row = new StringBuilder("[");
                for (long id : tokenizer.encode(sentence)) {
                    row.append(row.length() == 1 ? "" : ",").append(id);
                }
                rows.add(row.append(']').toString());
            }
        }
        Files.writeString(Path.of(args[1]), "[\n" + String.join(",\n", rows) + "\n]\n", StandardCharsets.UTF_8);
    }
}
