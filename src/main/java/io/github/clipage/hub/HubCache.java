package io.github.clipage.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hugging Face Hub cache on disk, in the layout that {@code huggingface_hub} writes.
 *
 * <p>Each model lives in {@code models--{org}--{name}} with three folders: {@code refs/{revision}}
 * contains the commit hash that a branch or tag pointed to, {@code snapshots/{commit}/{file}} contains
 * the files of one commit (symbolic links into {@code blobs}, or plain files), and
 * {@code blobs/{etag}} contains the content, named by its SHA-256 for LFS files or its git object id
 * otherwise. Download locks are kept apart, in {@code .locks/models--{org}--{name}/{etag}.lock}.
 */
public final class HubCache {

    /** Files a CLIP model needs besides its weights. */
    public static final List<String> MODEL_FILES = List.of("config.json", "tokenizer.json");

    /** Weight files in order of preference: any one of them completes a model. */
    public static final List<String> WEIGHT_FILES = List.of("model.safetensors", "pytorch_model.bin");

    private static final Pattern COMMIT_HASH = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private final Path root;

    /** Creates a cache rooted at the given folder, which need not exist yet. */
    public HubCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * Creates the cache that Hugging Face's own tools would use with these environment variables.
     *
     * <p>The order follows {@code huggingface_hub.constants}: {@code HF_HUB_CACHE}, then the older
     * {@code HUGGINGFACE_HUB_CACHE}, then {@code HF_HOME/hub}, then
     * {@code XDG_CACHE_HOME/huggingface/hub}, then {@code ~/.cache/huggingface/hub}. A leading
     * {@code ~} is expanded to the {@code user.home} system property.
     */
    public static HubCache fromEnvironment(Map<String, String> env) {
        String hubCache = firstNonBlank(env.get("HF_HUB_CACHE"), env.get("HUGGINGFACE_HUB_CACHE"));
        if (hubCache != null) {
            return new HubCache(expandHome(hubCache));
        }

        String hfHome = env.get("HF_HOME");
        if (isBlank(hfHome)) {
            String xdgCache = env.get("XDG_CACHE_HOME");
            Path cacheHome = isBlank(xdgCache) ? Path.of(System.getProperty("user.home"), ".cache") : expandHome(xdgCache);
            return new HubCache(cacheHome.resolve("huggingface").resolve("hub"));
        }
        return new HubCache(expandHome(hfHome).resolve("hub"));
    }

    /** Returns the root folder of the cache. */
    public Path root() {
        return root;
    }

    /** Returns the folder of one model, such as {@code models--openai--clip-vit-base-patch32}. */
    public Path modelFolder(String modelId) {
        checkModelId(modelId);
        return root.resolve("models--" + modelId.replace("/", "--"));
    }

    /** Returns the blobs folder of one model. */
    public Path blobsFolder(String modelId) {
        return modelFolder(modelId).resolve("blobs");
    }

    /**
     * Returns the folder of one model's download locks, {@code .locks/models--{org}--{name}} under
     * the cache root, where {@code huggingface_hub} keeps its {@code {etag}.lock} files too, so that
     * {@code blobs} contains only blobs.
     */
    public Path locksFolder(String modelId) {
        return root.resolve(".locks").resolve(modelFolder(modelId).getFileName());
    }

    /** Returns the snapshot folder of one commit of a model, whether or not it exists. */
    public Path snapshotFolder(String modelId, String commit) {
        checkCommit(commit);
        return modelFolder(modelId).resolve("snapshots").resolve(commit);
    }

    /** Returns the file that records the commit a branch or tag points to. */
    public Path refFile(String modelId, String revision) {
        checkRevision(revision);
        return modelFolder(modelId).resolve("refs").resolve(revision);
    }

    /**
     * Resolves a revision to a commit hash: a 40-hex commit is returned as is, a branch or tag
     * name through its {@code refs} file.
     */
    public Optional<String> resolveCommit(String modelId, String revision) {
        checkRevision(revision);
        if (isCommitHash(revision)) {
            return Optional.of(revision);
        }

        Path refFile = refFile(modelId, revision);
        if (!Files.isRegularFile(refFile)) {
            return Optional.empty();
        }
        try {
            String commit = Files.readString(refFile, StandardCharsets.UTF_8).trim();
            return isCommitHash(commit) ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds the snapshot of a CLIP model: {@code config.json}, {@code tokenizer.json} and at least
     * one of the weight files must be there.
     */
    public Optional<Path> findSnapshot(String modelId, String revision) {
        return findSnapshot(modelId, revision, MODEL_FILES)
                .filter(snapshot -> WEIGHT_FILES.stream().anyMatch(file -> Files.isRegularFile(snapshot.resolve(file))));
    }

    /**
     * Finds the snapshot folder of a revision when it contains every one of the required files.
     * A symbolic link counts only when its blob exists.
     */
    public Optional<Path> findSnapshot(String modelId, String revision, List<String> requiredFiles) {
        Optional<String> commit = resolveCommit(modelId, revision);
        if (commit.isEmpty()) {
            return Optional.empty();
        }

        Path snapshot = snapshotFolder(modelId, commit.get());
        for (String file : requiredFiles) {
            if (!Files.isRegularFile(resolveFile(snapshot, file))) {
                return Optional.empty();
            }
        }
        return Optional.of(snapshot);
    }

    /** Returns whether a revision is a full 40-hex commit hash rather than a branch or tag name. */
    public static boolean isCommitHash(String revision) {
        return COMMIT_HASH.matcher(revision).matches();
    }

    /** Resolves a repository file name inside a folder, rejecting names that would leave it. */
    static Path resolveFile(Path folder, String file) {
        if (!REVISION.matcher(file).matches() || file.contains("..")) {
            throw new IllegalArgumentException("Invalid repository file name: '" + file + "'");
        }
        return folder.resolve(file);
    }

    /** Checks a model id of the form {@code org/name} or {@code name}. */
    static void checkModelId(String modelId) {
        String[] parts = modelId.split("/", -1);
        boolean valid = parts.length <= 2;
        for (String part : parts) {
            valid &= REPO_PART.matcher(part).matches() && !part.contains("..") && !part.contains("--");
        }
        if (!valid) {
            throw new IllegalArgumentException(
                    "Invalid model id: '" + modelId + "'. Expected 'org/name' or 'name', such as 'openai/clip-vit-base-patch32'");
        }
    }

    /** Checks a branch, tag or commit name, which becomes part of a path under {@code refs}. */
    static void checkRevision(String revision) {
        if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new IllegalArgumentException(
                    "Invalid revision: '" + revision + "'. Expected a branch, a tag or a 40-hex commit hash, such as 'main'");
        }
    }

    private static void checkCommit(String commit) {
        if (!isCommitHash(commit)) {
            throw new IllegalArgumentException("Invalid commit hash: '" + commit + "'. Expected 40 lower-case hex digits");
        }
    }

    private static Path expandHome(String path) {
        if (path.equals("~")) {
            return Path.of(System.getProperty("user.home"));
        }
        if (path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), path.substring(2));
        }
        return Path.of(path);
    }

    private static String firstNonBlank(String first, String second) {
        if (!isBlank(first)) {
            return first;
        }
        return isBlank(second) ? null : second;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
