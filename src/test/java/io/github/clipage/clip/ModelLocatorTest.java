package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clipage.hub.HubCache;
import io.github.clipage.hub.HubClient;
import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {

    @TempDir
    Path cache;

    private HubClient offlineClient() {
        return new HubClient(new HubCache(cache), URI.create("http://127.0.0.1:9"), null, true);
    }

    @Test
    void missingModelNamesThreeWaysToProvideOne() {
        ModelProperties properties = new ModelProperties("openai/clip-vit-base-patch32", "main", null, "cpu", "float32");

        assertThatThrownBy(() -> ModelLocator.locate(properties, offlineClient()))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("openai/clip-vit-base-patch32")
                .hasMessageContaining("age.model.id and age.model.revision")
                .hasMessageContaining("age.model.path")
                .hasMessageContaining("age.model.id=demo")
                .hasMessageContaining(cache.toString());
    }

    @Test
    void folderWithoutWeightsIsRejectedWithTheMissingFiles(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("config.json"), "{}");
        ModelProperties properties = new ModelProperties("ignored", "main", folder, "cpu", "float32");

        assertThatThrownBy(() -> ModelLocator.locate(properties, offlineClient()))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("model.safetensors (or pytorch_model.bin)");
    }

    @Test
    void demoIsWrittenToTemporaryFolderAndDeleted() throws Exception {
        ModelProperties properties = new ModelProperties("demo", "main", null, "cpu", "float32");

        ModelLocator.LocatedModel located = ModelLocator.locate(properties, offlineClient());
        Path directory = located.checkpoint().directory();
        assertThat(located.temporary()).isTrue();
        assertThat(directory.resolve("model.safetensors")).isRegularFile();

        located.deleteIfTemporary();
        assertThat(directory).doesNotExist();
    }

    @Test
    void cachedSnapshotIsFoundOffline() throws Exception {
        Path snapshot = cache.resolve("models--openai--clip-vit-base-patch32/snapshots/0123456789abcdef0123456789abcdef01234567");
        SyntheticCheckpoint.writeDemo(snapshot);
        Files.createDirectories(cache.resolve("models--openai--clip-vit-base-patch32/refs"));
        Files.writeString(cache.resolve("models--openai--clip-vit-base-patch32/refs/main"),
                "0123456789abcdef0123456789abcdef01234567");
        ModelProperties properties = new ModelProperties("openai/clip-vit-base-patch32", "main", null, "cpu", "float32");

        ModelLocator.LocatedModel located = ModelLocator.locate(properties, offlineClient());

        assertThat(located.checkpoint().directory()).isEqualTo(snapshot);
        assertThat(located.temporary()).isFalse();
    }
}
