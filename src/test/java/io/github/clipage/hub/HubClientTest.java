package io.github.clipage.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubClientTest {

    private static final String MODEL = "acme/tiny-clip";
    private static final String CONFIG = "{\"projection_dim\": 8}";
    private static final String TOKENIZER = "{\"model\": {\"type\": \"BPE\"}}";

    @TempDir
    Path temp;

    private FakeHub hub;

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private static byte[] weights(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    private FakeHub startHub(byte[] safetensors, byte[] bin) throws IOException {
        hub = new FakeHub(MODEL)
                .withFile("config.json", CONFIG)
                .withFile("tokenizer.json", TOKENIZER)
                .withFile("preprocessor_config.json", "{\"crop_size\": 224}");
        if (safetensors != null) {
            hub.withFile("model.safetensors", safetensors);
        }
        if (bin != null) {
            hub.withFile("pytorch_model.bin", bin);
        }
        return hub;
    }

    private HubClient client(String token, boolean offline) {
        return new HubClient(new HubCache(temp.resolve("hub")), hub.endpoint(), token, offline)
                .withRetries(4, Duration.ofMillis(10));
    }

    @Test
    void coldDownloadWritesHfLayout() throws IOException {
        byte[] safetensors = weights(300_000, 1);
        startHub(safetensors, null);
        HubClient client = client(null, false);

        Path snapshot = client.resolveModel(MODEL, "main");

        HubCache cache = client.cache();
        assertThat(snapshot).isEqualTo(cache.snapshotFolder(MODEL, FakeHub.COMMIT));
        assertThat(Files.readString(cache.refFile(MODEL, "main"))).isEqualTo(FakeHub.COMMIT);
        assertThat(Files.readString(snapshot.resolve("config.json"))).isEqualTo(CONFIG);
        assertThat(Files.readString(snapshot.resolve("tokenizer.json"))).isEqualTo(TOKENIZER);
        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(safetensors);
        assertThat(snapshot.resolve("preprocessor_config.json")).exists();

        Path weightsLink = snapshot.resolve("model.safetensors");
        assertThat(Files.isSymbolicLink(weightsLink)).isTrue();
        assertThat(Files.readSymbolicLink(weightsLink).toString())
                .isEqualTo("../../blobs/" + FakeHub.sha256(safetensors));
        assertThat(Files.isSymbolicLink(snapshot.resolve("config.json"))).isTrue();
        assertThat(cache.blobsFolder(MODEL).resolve(FakeHub.sha256(safetensors))).exists();
        try (var blobs = Files.list(cache.blobsFolder(MODEL))) {
            assertThat(blobs.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".incomplete"));
        }
    }

    @Test
    void blobsFolderHoldsOnlyBlobs() throws IOException {
        byte[] safetensors = weights(1000, 2);
        startHub(safetensors, null);
        HubClient client = client(null, false);

        Path snapshot = client.resolveModel(MODEL, "main");

        List<String> expectedBlobs;
        try (var files = Files.list(snapshot)) {
            expectedBlobs = files.map(HubClientTest::blobName).sorted().toList();
        }
        assertThat(expectedBlobs).hasSize(4).contains(FakeHub.sha256(safetensors));
        try (var blobs = Files.list(client.cache().blobsFolder(MODEL))) {
            assertThat(blobs.map(path -> path.getFileName().toString()).sorted().toList()).isEqualTo(expectedBlobs);
        }
    }

    @Test
    void locksLiveUnderDotLocks() throws IOException {
        byte[] safetensors = weights(1000, 3);
        startHub(safetensors, null);
        HubClient client = client(null, false);

        client.resolveModel(MODEL, "main");

        Path locks = temp.resolve("hub").resolve(".locks").resolve("models--acme--tiny-clip");
        assertThat(client.cache().locksFolder(MODEL)).isEqualTo(locks);
        assertThat(locks.resolve(FakeHub.sha256(safetensors) + ".lock")).isRegularFile();
        try (var lockFiles = Files.list(locks)) {
            assertThat(lockFiles.map(path -> path.getFileName().toString())).hasSize(4).allMatch(name -> name.endsWith(".lock"));
        }
    }

    private static String blobName(Path snapshotFile) {
        try {
            return Files.readSymbolicLink(snapshotFile).getFileName().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void tokenNotSentToFileHost() throws IOException {
        startHub(weights(1000, 2), null);
        hub.requireToken("secret-token");

        client("secret-token", false).resolveModel(MODEL, "main");

        List<FakeHub.Request> requests = hub.requests();
        assertThat(requests).filteredOn(r -> r.server().equals("hub")).allMatch(r -> "Bearer secret-token".equals(r.authorization()));
        assertThat(requests).filteredOn(r -> r.server().equals("files")).isNotEmpty();
        assertThat(requests).filteredOn(r -> r.server().equals("files")).allMatch(r -> r.authorization() == null);
    }

    @Test
    void warmCacheSendsNoRequest() throws IOException {
        startHub(weights(1000, 3), null);
        Path first = client(null, false).resolveModel(MODEL, "main");
        int requestsAfterFirst = hub.requests().size();

        Path second = client(null, false).resolveModel(MODEL, "main");
        Path byCommit = client(null, false).resolveModel(MODEL, FakeHub.COMMIT);

        assertThat(second).isEqualTo(first);
        assertThat(byCommit).isEqualTo(first);
        assertThat(hub.requests()).hasSize(requestsAfterFirst);
    }

    @Test
    void downloadResumesAfterCutConnection() throws IOException {
        byte[] safetensors = weights(400_000, 4);
        startHub(safetensors, null);
        hub.cutNextDownload("model.safetensors", 150_000);

        Path snapshot = client(null, false).resolveModel(MODEL, "main");

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(safetensors);
        List<FakeHub.Request> downloads = hub.requests().stream()
                .filter(r -> r.server().equals("files")).toList();
        assertThat(downloads).hasSize(2);
        assertThat(downloads.get(0).range()).isNull();
        assertThat(downloads.get(1).range()).matches("bytes=[1-9][0-9]*-");
    }

    @Test
    void corruptedDownloadIsFetchedAgain() throws IOException {
        byte[] safetensors = weights(50_000, 5);
        startHub(safetensors, null);
        hub.corruptNextDownloads("model.safetensors", 1);

        Path snapshot = client(null, false).resolveModel(MODEL, "main");

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(safetensors);
        assertThat(hub.count("GET", "model.safetensors")).isEqualTo(2);
    }

    @Test
    void persistentChecksumMismatchFails() throws IOException {
        startHub(weights(50_000, 6), null);
        hub.corruptNextDownloads("model.safetensors", 100);
        HubClient client = client(null, false);

        assertThatThrownBy(() -> client.resolveModel(MODEL, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("checksum mismatch for model.safetensors")
                .hasMessageContaining("The partial file was removed");
        try (var blobs = Files.list(client.cache().blobsFolder(MODEL))) {
            assertThat(blobs.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".incomplete") || name.equals(FakeHub.sha256(weights(50_000, 6))));
        }
    }

    @Test
    void cachedBlobOfWrongSizeIsReplaced() throws IOException {
        byte[] safetensors = weights(20_000, 7);
        startHub(safetensors, null);
        HubClient client = client(null, false);
        Path blobs = client.cache().blobsFolder(MODEL);
        Files.createDirectories(blobs);
        Files.write(blobs.resolve(FakeHub.sha256(safetensors)), new byte[] {1, 2, 3});

        Path snapshot = client.resolveModel(MODEL, "main");

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(safetensors);
    }

    @Test
    void missingTokenGives401Advice() throws IOException {
        startHub(weights(1000, 8), null);
        hub.requireToken("secret-token");
        HubClient client = client(null, false);

        assertThatThrownBy(() -> client.resolveModel(MODEL, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("Set HF_TOKEN");
    }

    @Test
    void wrongTokenGives401Advice() throws IOException {
        startHub(weights(1000, 9), null);
        hub.requireToken("secret-token");
        HubClient client = client("stale-token", false);

        assertThatThrownBy(() -> client.resolveModel(MODEL, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("HF_TOKEN is set but was rejected")
                .hasMessageNotContaining("stale-token");
    }

    @Test
    void unknownModelGives404Advice() throws IOException {
        startHub(weights(1000, 10), null);
        HubClient client = client(null, false);

        assertThatThrownBy(() -> client.resolveModel("acme/no-such-model", "main"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("Model acme/no-such-model was not found")
                .hasMessageContaining("Check the model id");
    }

    @Test
    void unknownRevisionGives404Advice() throws IOException {
        startHub(weights(1000, 11), null);
        HubClient client = client(null, false);

        assertThatThrownBy(() -> client.resolveModel(MODEL, "no-such-branch"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("Revision no-such-branch of model acme/tiny-clip was not found")
                .hasMessageContaining("Check the revision");
    }

    @Test
    void missingRequiredFileIsNamed() throws IOException {
        startHub(null, null);
        HubClient client = client(null, false);

        assertThatThrownBy(() -> client.resolveModel(MODEL, "main"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("has no model.safetensors or pytorch_model.bin at revision main");
        assertThatThrownBy(() -> client.download(MODEL, "main", List.of("config.json", "vocab.txt"), List.of()))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("has no vocab.txt at revision main");
    }

    @Test
    void optionalFileMayBeAbsent() throws IOException {
        startHub(weights(1000, 12), null);

        Path snapshot = client(null, false).download(MODEL, "main", List.of("config.json"), List.of("absent.json"));

        assertThat(snapshot.resolve("config.json")).exists();
        assertThat(snapshot.resolve("absent.json")).doesNotExist();
    }

    @Test
    void offlineWithoutCacheNamesEverything() throws IOException {
        startHub(weights(1000, 13), null);
        HubClient client = client(null, true);

        assertThatThrownBy(() -> client.resolveModel(MODEL, "main"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining(MODEL)
                .hasMessageContaining("revision main")
                .hasMessageContaining(client.cache().root().toString())
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageContaining("HF_HUB_CACHE");
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void offlineWithCacheSendsNoRequest() throws IOException {
        startHub(weights(1000, 14), null);
        Path online = client(null, false).resolveModel(MODEL, "main");
        int requestsAfterDownload = hub.requests().size();

        Path offline = client(null, true).resolveModel(MODEL, "main");

        assertThat(offline).isEqualTo(online);
        assertThat(hub.requests()).hasSize(requestsAfterDownload);
    }

    @Test
    void environmentConfiguresClient() throws IOException {
        startHub(weights(1000, 15), null);
        Map<String, String> env = Map.of(
                "HF_ENDPOINT", hub.endpoint() + "/",
                "HF_HOME", temp.resolve("home").toString(),
                "HF_HUB_CACHE", temp.resolve("hub-cache").toString(),
                "HF_TOKEN", "secret-token",
                "HF_HUB_OFFLINE", "0");
        hub.requireToken("secret-token");

        HubClient client = HubClient.fromEnvironment(env);
        Path snapshot = client.resolveModel(MODEL, "main");

        assertThat(client.isOffline()).isFalse();
        assertThat(snapshot).startsWith(temp.resolve("hub-cache"));
        assertThat(temp.resolve("home")).doesNotExist();
        assertThat(client.toString()).doesNotContain("secret-token");
        assertThat(HubClient.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1")).isOffline()).isTrue();
        assertThat(HubClient.fromEnvironment(Map.of("HF_HUB_OFFLINE", "yes")).isOffline()).isTrue();
    }

    @Test
    void safetensorsPreferredOverBin() throws IOException {
        byte[] safetensors = weights(1000, 16);
        startHub(safetensors, weights(1000, 17));

        Path snapshot = client(null, false).resolveModel(MODEL, "main");

        assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(safetensors);
        assertThat(snapshot.resolve("pytorch_model.bin")).doesNotExist();
        assertThat(hub.count("HEAD", "pytorch_model.bin")).isZero();
    }

    @Test
    void binUsedWithoutSafetensors() throws IOException {
        byte[] bin = weights(1000, 18);
        startHub(null, bin);

        Path snapshot = client(null, false).resolveModel(MODEL, "main");

        assertThat(Files.readAllBytes(snapshot.resolve("pytorch_model.bin"))).isEqualTo(bin);
        assertThat(snapshot.resolve("model.safetensors")).doesNotExist();
        assertThat(client(null, true).resolveModel(MODEL, "main")).isEqualTo(snapshot);
    }

    @Test
    void concurrentDownloadsShareOneBlob() throws Exception {
        byte[] safetensors = weights(2_000_000, 19);
        startHub(safetensors, null);
        Callable<Path> download = () -> client(null, false).resolveModel(MODEL, "main");

        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Future<Path> first = executor.submit(download);
            Future<Path> second = executor.submit(download);

            assertThat(first.get()).isEqualTo(second.get());
            assertThat(Files.readAllBytes(first.get().resolve("model.safetensors"))).isEqualTo(safetensors);
        } finally {
            executor.shutdownNow();
        }
        assertThat(hub.count("GET", "model.safetensors")).isEqualTo(1);
        try (var blobs = Files.list(new HubCache(temp.resolve("hub")).blobsFolder(MODEL))) {
            assertThat(blobs.map(path -> path.getFileName().toString())).hasSize(4);
        }
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws IOException {
        startHub(weights(1000, 20), null);
        URI closed = hub.endpoint();
        hub.close();
        hub = null;
        HubClient client = new HubClient(new HubCache(temp.resolve("hub")), closed, null, false)
                .withRetries(2, Duration.ofMillis(1));

        assertThatThrownBy(() -> client.resolveModel(MODEL, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("failed after 2 attempts")
                .hasMessageContaining("HF_HUB_OFFLINE=1");
    }

    @Test
    void closedPortFailureNamesCause() {
        HubClient client = new HubClient(new HubCache(temp.resolve("hub")), URI.create("http://127.0.0.1:1"), null, false)
                .withRetries(1, Duration.ZERO);

        assertThatThrownBy(() -> client.resolveModel(MODEL, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("failed after 1 attempts: ConnectException: ClosedChannelException (connection refused or closed).")
                .hasMessageNotContaining("null");
    }

    @Test
    void refsFileWrittenWithUtf8() throws IOException {
        startHub(weights(1000, 21), null);

        client(null, false).download(MODEL, "main", List.of("config.json"), List.of());

        byte[] ref = Files.readAllBytes(new HubCache(temp.resolve("hub")).refFile(MODEL, "main"));
        assertThat(new String(ref, StandardCharsets.UTF_8)).isEqualTo(FakeHub.COMMIT);
    }
}
