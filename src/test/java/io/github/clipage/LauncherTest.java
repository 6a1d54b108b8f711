package io.github.clipage;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clipage.Launcher.Action;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LauncherTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpSpellingsPrintUsage() {
        assertThat(Launcher.actionFor(new String[] {"--help"})).isEqualTo(Action.HELP);
        assertThat(Launcher.actionFor(new String[] {"-h"})).isEqualTo(Action.HELP);
        assertThat(Launcher.actionFor(new String[] {"help"})).isEqualTo(Action.HELP);
    }

    @Test
    void knownCommandsAreSelected() {
        assertThat(Launcher.actionFor(new String[] {"fetch", "--age.model.id=demo"})).isEqualTo(Action.FETCH);
        assertThat(Launcher.actionFor(new String[] {"evaluate", "--folder", "x"})).isEqualTo(Action.EVALUATE);
        assertThat(Launcher.actionFor(new String[] {"synthetic-checkpoint", "demo", "x"}))
                .isEqualTo(Action.SYNTHETIC_CHECKPOINT);
    }

    @Test
    void settingsOrNoArgumentStartService() {
        assertThat(Launcher.actionFor(new String[0])).isEqualTo(Action.SERVICE);
        assertThat(Launcher.actionFor(new String[] {"--age.model.id=demo"})).isEqualTo(Action.SERVICE);
        assertThat(Launcher.actionFor(new String[] {"--server.port=8081", "fetch"})).isEqualTo(Action.SERVICE);
    }

    @Test
    void typoIsUnknownCommand() {
        assertThat(Launcher.actionFor(new String[] {"fetchh"})).isEqualTo(Action.UNKNOWN);
        assertThat(Launcher.actionFor(new String[] {"Fetch"})).isEqualTo(Action.UNKNOWN);
    }

    @Test
    void helpPrintsUsageToStdout() {
        int exitCode = Launcher.runCommand(Action.HELP, new String[] {"--help"}, stream(out), stream(err));

        assertThat(exitCode).isZero();
        String usage = text(out);
        assertThat(usage).startsWith("Usage: java -jar app.jar");
        assertThat(usage).contains("\n  fetch ", "\n  evaluate ", "\n  synthetic-checkpoint ");
        assertThat(usage).contains("--name=value");
        assertThat(text(err)).isEmpty();
    }

    @Test
    void unknownCommandPrintsErrorAndUsage() {
        int exitCode = Launcher.runCommand(Action.UNKNOWN, new String[] {"fetchh"}, stream(out), stream(err));

        assertThat(exitCode).isEqualTo(2);
        assertThat(text(err)).startsWith("Unknown command 'fetchh'.");
        assertThat(text(err)).contains(Launcher.USAGE);
        assertThat(text(out)).isEmpty();
    }

    private static PrintStream stream(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
