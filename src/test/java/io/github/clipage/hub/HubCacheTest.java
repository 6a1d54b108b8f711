package io.github.clipage.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubCacheTest {

    private static final String MODEL = "openai/clip-vit-base-patch32";
    private static final String COMMIT = "3d74acf9a28c67741b2f4f2ea7635f0aaf6f0268";

    @TempDir
    Path temp;

    @Test
    void hubCacheVariableWinsOverHfHome() {
        HubCache cache = HubCache.fromEnvironment(Map.of(
                "HF_HUB_CACHE", temp.resolve("hub-cache").toString(),
                "HF_HOME", temp.resolve("hf-home").toString()));

        assertThat(cache.root()).isEqualTo(temp.resolve("hub-cache"));
    }

    @Test
    void hfHomeGetsHubSubfolder() {
        HubCache cache = HubCache.fromEnvironment(Map.of("HF_HOME", temp.resolve("hf-home").toString()));

        assertThat(cache.root()).isEqualTo(temp.resolve("hf-home").resolve("hub"));
    }

    @Test
    void legacyHubCacheVariableWinsOverHfHome() {
        HubCache cache = HubCache.fromEnvironment(Map.of(
                "HUGGINGFACE_HUB_CACHE", temp.resolve("legacy").toString(),
                "HF_HOME", temp.resolve("hf-home").toString()));

        assertThat(cache.root()).isEqualTo(temp.resolve("legacy"));
    }

    @Test
    void xdgCacheHomeUsedWithoutHfHome() {
        HubCache cache = HubCache.fromEnvironment(Map.of("XDG_CACHE_HOME", temp.toString()));

        assertThat(cache.root()).isEqualTo(temp.resolve("huggingface").resolve("hub"));
    }

    @Test
    void locksFolderIsUnderDotLocks() {
        HubCache cache = new HubCache(temp);

        assertThat(cache.locksFolder(MODEL)).isEqualTo(temp.resolve(".locks").resolve("models--openai--clip-vit-base-patch32"));
    }

    @Test
    void defaultIsUnderUserHome() {
        HubCache cache = HubCache.fromEnvironment(Map.of());

        assertThat(cache.root()).isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub"));
    }

    @Test
    void tildeExpandsToUserHome() {
        HubCache cache = HubCache.fromEnvironment(Map.of("HF_HOME", "~/hf"));

        assertThat(cache.root()).isEqualTo(Path.of(System.getProperty("user.home"), "hf", "hub"));
    }

    @Test
    void modelFolderFollowsHfNaming() {
        HubCache cache = new HubCache(temp);

        assertThat(cache.modelFolder(MODEL)).isEqualTo(temp.resolve("models--openai--clip-vit-base-patch32"));
        assertThat(cache.modelFolder("gpt2")).isEqualTo(temp.resolve("models--gpt2"));
    }

    @Test
    void branchResolvesThroughRefs() throws IOException {
        HubCache cache = new HubCache(temp);
        writeSnapshotWithSymlinks(cache, "model.safetensors");

        assertThat(cache.resolveCommit(MODEL, "main")).contains(COMMIT);
        assertThat(cache.findSnapshot(MODEL, "main")).contains(cache.snapshotFolder(MODEL, COMMIT));
    }

    @Test
    void commitHashNeedsNoRefs() throws IOException {
        HubCache cache = new HubCache(temp);
        writeSnapshotWithSymlinks(cache, "model.safetensors");
        Files.delete(cache.refFile(MODEL, "main"));

        assertThat(cache.findSnapshot(MODEL, COMMIT)).contains(cache.snapshotFolder(MODEL, COMMIT));
        assertThat(cache.findSnapshot(MODEL, "main")).isEmpty();
    }

    @Test
    void plainFilesCountLikeSymlinks() throws IOException {
        HubCache cache = new HubCache(temp);
        Path snapshot = cache.snapshotFolder(MODEL, COMMIT);
        Files.createDirectories(snapshot);
        for (String file : List.of("config.json", "tokenizer.json", "pytorch_model.bin")) {
            Files.writeString(snapshot.resolve(file), "{}");
        }

        assertThat(cache.findSnapshot(MODEL, COMMIT)).contains(snapshot);
    }

    @Test
    void snapshotWithoutWeightsIsIncomplete() throws IOException {
        HubCache cache = new HubCache(temp);
        writeSnapshotWithSymlinks(cache);

        assertThat(cache.findSnapshot(MODEL, "main")).isEmpty();
        assertThat(cache.findSnapshot(MODEL, "main", List.of("config.json"))).isPresent();
    }

    @Test
    void danglingSymlinkCountsAsMissing() throws IOException {
        HubCache cache = new HubCache(temp);
        writeSnapshotWithSymlinks(cache, "model.safetensors");
        Path blob = cache.snapshotFolder(MODEL, COMMIT).resolve("model.safetensors").toRealPath();
        Files.delete(blob);

        assertThat(cache.findSnapshot(MODEL, "main")).isEmpty();
    }

    @Test
    void missingModelGivesEmpty() {
        HubCache cache = new HubCache(temp);

        assertThat(cache.findSnapshot(MODEL, "main")).isEmpty();
        assertThat(cache.findSnapshot(MODEL, COMMIT)).isEmpty();
    }

    @Test
    void pathTraversalInNamesIsRejected() {
        HubCache cache = new HubCache(temp);

        assertThatThrownBy(() -> cache.modelFolder("../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid model id");
        assertThatThrownBy(() -> cache.refFile(MODEL, "../../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid revision");
        assertThatThrownBy(() -> cache.findSnapshot(MODEL, COMMIT, List.of("../config.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid repository file name");
    }

    /** Writes config, tokenizer and the given extra files the way huggingface_hub does: blobs, symlinks, refs/main. */
    private static void writeSnapshotWithSymlinks(HubCache cache, String... extraFiles) throws IOException {
        Path blobs = cache.blobsFolder(MODEL);
        Path snapshot = cache.snapshotFolder(MODEL, COMMIT);
        Files.createDirectories(blobs);
        Files.createDirectories(snapshot);

        List<String> files = new java.util.ArrayList<>(List.of("config.json", "tokenizer.json"));
        files.addAll(List.of(extraFiles));
        int blobNumber = 0;
        for (String file : files) {
            String etag = String.format("%040x", ++blobNumber);
            Files.writeString(blobs.resolve(etag), "content of " + file);
            Files.createSymbolicLink(snapshot.resolve(file), Path.of("..", "..", "blobs", etag));
        }

        Files.createDirectories(cache.refFile(MODEL, "main").getParent());
        Files.writeString(cache.refFile(MODEL, "main"), COMMIT, StandardCharsets.UTF_8);
    }
}
