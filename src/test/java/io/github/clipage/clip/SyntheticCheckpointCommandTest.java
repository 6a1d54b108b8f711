package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCheckpointCommandTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void successNamesFolderAndShape() throws Exception {
        Path folder = temp.resolve("demo-checkpoint");

        int exitCode = run("demo", folder.toString(), "7");

        assertThat(exitCode).isZero();
        assertThat(Files.isRegularFile(folder.resolve("model.safetensors"))).isTrue();
        assertThat(text(out)).isEqualTo("Wrote a demo CLIP checkpoint with seed 7 to " + folder.toAbsolutePath()
                + " (config.json, tokenizer.json, model.safetensors)" + System.lineSeparator());
        assertThat(text(err)).isEmpty();
    }

    @Test
    void unknownShapeIsOneLineUsageError() {
        int exitCode = run("vit-x-99", temp.resolve("out").toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(text(err)).isEqualTo("Invalid shape 'vit-x-99': use demo, vit-b-32, vit-b-16 or vit-l-14"
                + System.lineSeparator());
        assertThat(Files.exists(temp.resolve("out"))).isFalse();
    }

    @Test
    void invalidSeedIsOneLineUsageError() {
        int exitCode = run("demo", temp.resolve("out").toString(), "seven");

        assertThat(exitCode).isEqualTo(2);
        assertThat(text(err)).isEqualTo("Invalid seed 'seven': expected a whole number, such as 1"
                + System.lineSeparator());
        assertThat(Files.exists(temp.resolve("out"))).isFalse();
    }

    @Test
    void nonEmptyFolderIsRejected() throws Exception {
        Path folder = temp.resolve("existing");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("notes.txt"), "keep me");

        int exitCode = run("demo", folder.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(text(err)).isEqualTo("The folder " + folder.toAbsolutePath()
                + " exists and is not empty. Choose a new or empty folder" + System.lineSeparator());
        assertThat(Files.readString(folder.resolve("notes.txt"))).isEqualTo("keep me");
        assertThat(Files.exists(folder.resolve("config.json"))).isFalse();
    }

    @Test
    void emptyFolderIsAccepted() throws Exception {
        Path folder = temp.resolve("empty");
        Files.createDirectories(folder);

        int exitCode = run("demo", folder.toString());

        assertThat(exitCode).isZero();
        assertThat(Files.isRegularFile(folder.resolve("config.json"))).isTrue();
    }

    @Test
    void unwritableFolderIsOneLineIoError() throws Exception {
        // A folder below a regular file cannot be created, even by root, so this fails on every machine.
        Path file = Files.writeString(temp.resolve("plain-file"), "x");
        Path folder = file.resolve("checkpoint");

        int exitCode = run("demo", folder.toString());

        assertThat(exitCode).isEqualTo(1);
        String message = text(err);
        assertThat(message).startsWith("Writing the checkpoint to " + folder.toAbsolutePath() + " failed: ");
        assertThat(message).doesNotContain("\tat ");
        assertThat(message.lines().count()).isEqualTo(1);
    }

    private int run(String... args) {
        return SyntheticCheckpoint.run(args, stream(out), stream(err));
    }

    private static PrintStream stream(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
