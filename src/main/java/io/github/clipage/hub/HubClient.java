package io.github.clipage.hub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads model files from the Hugging Face Hub into the {@link HubCache}, with the hub's own
 * protocol: a {@code HEAD} on {@code {endpoint}/{modelId}/resolve/{revision}/{file}} gives the
 * commit, the etag and the size, and a {@code GET} (redirected to a file host for LFS files) gives
 * the content.
 */
public final class HubClient {

    /** The public hub, used when {@code HF_ENDPOINT} is not set. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    /** Optional files of a CLIP model, fetched when the revision has them. */
    public static final List<String> OPTIONAL_MODEL_FILES = List.of("preprocessor_config.json");

    private static final Logger log = LoggerFactory.getLogger(HubClient.class);
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");
    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_HEAD_REDIRECTS = 5;
    private static final int DEFAULT_MAX_ATTEMPTS = 5;
    private static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(1);

    private final HubCache cache;
    private final HubAuthorization authorization;
    private final boolean offline;
    private final RetryPolicy retryPolicy;
    private final HttpClient httpClient;
    private final BlobDownloader blobDownloader;
    private final int maxAttempts;
    private final Duration firstBackoff;

    /**
     * Creates a client that retries a failed request up to 5 times, waiting 1 s, then 2 s, 4 s and 8 s.
     *
     * @param cache the cache to read from and download into
     * @param endpoint the hub, such as {@code https://huggingface.co}
     * @param token the access token sent to the hub, or null for anonymous access
     * @param offline true to never send a request and use only the cache
     */
    public HubClient(HubCache cache, URI endpoint, String token, boolean offline) {
        this(cache, endpoint, token, offline, DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_BACKOFF);
    }

    private HubClient(HubCache cache, URI endpoint, String token, boolean offline, int maxAttempts, Duration firstBackoff) {
        this.cache = cache;
        this.authorization = new HubAuthorization(stripTrailingSlash(endpoint), token == null || token.isBlank() ? null : token);
        this.offline = offline;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.retryPolicy = new RetryPolicy(maxAttempts, firstBackoff);
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                // Redirects are followed by hand, so that the token never reaches a file host.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.blobDownloader = new BlobDownloader(httpClient, authorization, retryPolicy);
    }

    /**
     * Creates a client configured like Hugging Face's own tools: {@code HF_ENDPOINT},
     * {@code HF_TOKEN} (or the older {@code HUGGING_FACE_HUB_TOKEN}), {@code HF_HUB_OFFLINE}
     * ({@code 1}, {@code ON}, {@code YES} or {@code TRUE}) and the cache of
     * {@link HubCache#fromEnvironment(Map)}.
     */
    public static HubClient fromEnvironment(Map<String, String> env) {
        String endpoint = env.getOrDefault("HF_ENDPOINT", "");
        String token = env.getOrDefault("HF_TOKEN", "");
        if (token.isBlank()) {
            token = env.get("HUGGING_FACE_HUB_TOKEN");
        }
        // Limitation: the token file that `huggingface-cli login` writes under HF_HOME is not read; set HF_TOKEN.
        boolean offline = TRUE_VALUES.contains(env.getOrDefault("HF_HUB_OFFLINE", "").trim().toUpperCase(Locale.ROOT));
        return new HubClient(HubCache.fromEnvironment(env),
                endpoint.isBlank() ? DEFAULT_ENDPOINT : URI.create(endpoint.trim()), token, offline);
    }

    /** Returns a copy of this client that makes at most {@code maxAttempts} attempts per request, doubling the wait each time. */
    public HubClient withRetries(int maxAttempts, Duration firstBackoff) {
        return new HubClient(cache, authorization.endpoint(), authorization.token(), offline, maxAttempts, firstBackoff);
    }

    /** Returns the cache this client reads and fills. */
    public HubCache cache() {
        return cache;
    }

    /** Returns whether this client is in offline mode and sends no request. */
    public boolean isOffline() {
        return offline;
    }

    /**
     * Finds or downloads a CLIP model and returns its snapshot folder. A complete snapshot in the
     * cache is returned without any request, even for a branch name, so a cached branch is not
     * updated until its {@code refs} file is removed. Otherwise {@code config.json},
     * {@code tokenizer.json} and the weights are downloaded: {@code model.safetensors}, or
     * {@code pytorch_model.bin} when the revision has no safetensors file. {@code
     * preprocessor_config.json} is downloaded when the revision has it.
     */
    public Path resolveModel(String modelId, String revision) {
        Optional<Path> cached = cache.findSnapshot(modelId, revision);
        if (cached.isPresent()) {
            log.debug("Using cached snapshot {} for {} at {}", cached.get(), modelId, revision);
            return cached.get();
        }

        List<List<String>> required = new ArrayList<>();
        for (String file : HubCache.MODEL_FILES) {
            required.add(List.of(file));
        }
        required.add(HubCache.WEIGHT_FILES);
        return fetch(modelId, revision, required, OPTIONAL_MODEL_FILES);
    }

    /**
     * Makes sure the snapshot of a revision contains the files and returns its folder. When the
     * cache already contains every required file, no request is sent. Otherwise each file is
     * checked with the hub and downloaded when its blob is missing. An optional file that the
     * revision does not have is skipped.
     *
     * @throws ModelNotFoundException when the model, the revision or a required file does not
     *     exist, or when offline and the cache lacks a required file
     * @throws HubException when access is denied, the network fails after retries, a checksum
     *     does not match after retries, or the cache cannot be written
     */
    public Path download(String modelId, String revision, List<String> requiredFiles, List<String> optionalFiles) {
        Optional<Path> cached = cache.findSnapshot(modelId, revision, requiredFiles);
        if (cached.isPresent()) {
            return cached.get();
        }

        List<List<String>> required = new ArrayList<>();
        for (String file : requiredFiles) {
            required.add(List.of(file));
        }
        return fetch(modelId, revision, required, optionalFiles);
    }

    /** Downloads, for each group, the first file that exists in the revision, then the optional files that exist. */
    private Path fetch(String modelId, String revision, List<List<String>> requiredGroups, List<String> optionalFiles) {
        HubCache.checkModelId(modelId);
        HubCache.checkRevision(revision);
        if (offline) {
            throw notCachedWhileOffline(modelId, revision);
        }

        // Every file after the first is requested at the first file's commit, so that a push
        // during the download cannot mix two commits in one snapshot.
        String commit = HubCache.isCommitHash(revision) ? revision : null;
        for (List<String> group : requiredGroups) {
            FileMetadata metadata = null;
            for (String file : group) {
                metadata = head(modelId, commit == null ? revision : commit, file).orElse(null);
                if (metadata != null) {
                    break;
                }
                log.info("{} has no {} at revision {}", modelId, file, revision);
            }
            if (metadata == null) {
                throw new ModelNotFoundException("Model " + modelId + " has no " + String.join(" or ", group)
                        + " at revision " + revision + (commit == null ? "" : " (commit " + commit + ")")
                        + ". Check that the model id and revision name a model with these files");
            }
            commit = metadata.commit();
            storeFile(modelId, metadata);
        }

        for (String file : optionalFiles) {
            Optional<FileMetadata> metadata = head(modelId, commit == null ? revision : commit, file);
            if (metadata.isPresent()) {
                commit = metadata.get().commit();
                storeFile(modelId, metadata.get());
            } else {
                log.debug("{} has no optional file {} at revision {}", modelId, file, revision);
            }
        }

        if (commit == null) {
            throw new IllegalArgumentException("No files were requested for " + modelId);
        }
        if (!revision.equals(commit)) {
            writeRef(modelId, revision, commit);
        }
        return cache.snapshotFolder(modelId, commit);
    }

    private ModelNotFoundException notCachedWhileOffline(String modelId, String revision) {
        return new ModelNotFoundException("Model " + modelId + " at revision " + revision
                + " is not complete in the Hugging Face cache at " + cache.root()
                + ", and HF_HUB_OFFLINE is set, so nothing is downloaded. Download it once with network access"
                + " (unset HF_HUB_OFFLINE), or point HF_HUB_CACHE or HF_HOME at a cache that contains it");
    }

    /** Sends the {@code HEAD} request for one file; empty when the revision does not have the file. */
    private Optional<FileMetadata> head(String modelId, String revision, String file) {
        URI resolveUri = resolveUri(modelId, revision, file);
        HttpResponse<Void> response = retryPolicy.call("Checking " + file + " of " + modelId + " at " + resolveUri,
                "Check network access to " + authorization.endpoint() + ", or set HF_HUB_OFFLINE=1 to use only the cache",
                () -> sendHead(resolveUri));

        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        String errorCode = headers.firstValue("X-Error-Code").orElse("");
        if (status == 404 && errorCode.equals("EntryNotFound")) {
            return Optional.empty();
        }
        if (status == 401 || status == 403) {
            throw accessDenied(modelId, revision, status);
        }
        if (status == 404) {
            throw notFound(modelId, revision, file, errorCode);
        }
        if (status >= 400) {
            throw new HubException("Checking " + file + " of " + modelId + " failed: HTTP " + status + " from " + resolveUri
                    + ". Check HF_ENDPOINT, the model id and the revision");
        }
        return Optional.of(metadataOf(file, response));
    }

    /** Sends {@code HEAD} and follows redirects that stay on the hub and carry no commit, as for a renamed repository. */
    private HttpResponse<Void> sendHead(URI uri) throws IOException {
        URI target = uri;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(HEAD_TIMEOUT)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    // The size must be that of the file, not of a compressed transfer.
                    .header("Accept-Encoding", "identity");
            authorization.apply(request, target);
            HttpResponse<Void> response;
            try {
                response = httpClient.send(request.build(), HttpResponse.BodyHandlers.discarding());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException("Interrupted while checking " + target, e);
            }

            int status = response.statusCode();
            if (HttpStatus.isTransient(status)) {
                throw HttpStatus.failure(status, response.headers(), "Checking " + target);
            }
            Optional<String> location = response.headers().firstValue("Location");
            boolean isRedirect = status >= 300 && status < 400;
            if (isRedirect && location.isPresent() && response.headers().firstValue("X-Repo-Commit").isEmpty()
                    && authorization.isHubOrigin(target.resolve(location.get())) && redirects < MAX_HEAD_REDIRECTS) {
                target = target.resolve(location.get());
                continue;
            }
            return response;
        }
    }

    private FileMetadata metadataOf(String file, HttpResponse<Void> response) {
        HttpHeaders headers = response.headers();
        URI requestUri = response.uri();
        String commit = headers.firstValue("X-Repo-Commit").orElseThrow(() -> new HubException(
                "The response to HEAD " + requestUri + " has no X-Repo-Commit header. Check that HF_ENDPOINT points to a Hugging Face Hub"));
        if (!HubCache.isCommitHash(commit)) {
            throw new HubException("The response to HEAD " + requestUri + " has an invalid X-Repo-Commit '" + commit
                    + "'. Check that HF_ENDPOINT points to a Hugging Face Hub");
        }

        String rawEtag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag")).orElseThrow(() -> new HubException(
                "The response to HEAD " + requestUri + " has no ETag header. Check that HF_ENDPOINT points to a Hugging Face Hub"));
        String etag = normalizeEtag(rawEtag);
        if (!ETAG.matcher(etag).matches()) {
            throw new HubException("The response to HEAD " + requestUri + " has an invalid ETag '" + rawEtag
                    + "'. Check that HF_ENDPOINT points to a Hugging Face Hub");
        }

        long size = headers.firstValue("X-Linked-Size").or(() -> headers.firstValue("Content-Length"))
                .map(HubClient::parseSize).orElse(-1L);
        int status = response.statusCode();
        Optional<String> location = headers.firstValue("Location");
        URI downloadUri = status >= 300 && status < 400 && location.isPresent() ? requestUri.resolve(location.get()) : requestUri;
        return new FileMetadata(file, commit, etag, size, downloadUri);
    }

    private void storeFile(String modelId, FileMetadata metadata) {
        Path blob = blobDownloader.fetch(modelId, cache.blobsFolder(modelId), cache.locksFolder(modelId), metadata);
        Path link = HubCache.resolveFile(cache.snapshotFolder(modelId, metadata.commit()), metadata.file());
        linkSnapshotFile(link, blob);
    }

    /** Points the snapshot file at the blob with a relative symbolic link, or copies the blob where links are not supported. */
    private static void linkSnapshotFile(Path link, Path blob) {
        try {
            Files.createDirectories(link.getParent());
            Path temporary = link.resolveSibling(link.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.createSymbolicLink(temporary, link.getParent().relativize(blob));
            } catch (UnsupportedOperationException | IOException e) {
                log.debug("Copying {} because a symbolic link failed: {}", blob, e.toString());
                Files.copy(blob, temporary);
            }
            // Renaming over the old entry replaces it atomically, also when another thread links the same file.
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HubException("Creating " + link + " in the cache failed: " + FailureText.of(e)
                    + ". Check that the cache folder is writable", e);
        }
    }

    private void writeRef(String modelId, String revision, String commit) {
        Path refFile = cache.refFile(modelId, revision);
        try {
            Files.createDirectories(refFile.getParent());
            Path temporary = refFile.resolveSibling(refFile.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.writeString(temporary, commit, StandardCharsets.UTF_8);
            Files.move(temporary, refFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HubException("Writing " + refFile + " failed: " + FailureText.of(e) + ". Check that the cache folder is writable", e);
        }
    }

    private URI resolveUri(String modelId, String revision, String file) {
        // The revision is one path segment on the hub, so the slash of a name like refs/pr/1 is escaped.
        return URI.create(authorization.endpoint() + "/" + modelId + "/resolve/" + revision.replace("/", "%2F") + "/" + file);
    }

    private HubException accessDenied(String modelId, String revision, int status) {
        String message = "Access to model " + modelId + " at revision " + revision + " was denied (HTTP " + status + "). ";
        if (authorization.token() == null) {
            return new HubException(message + "The model is private or gated, or the id is wrong, since the hub also returns "
                    + status + " for a missing repository. Set HF_TOKEN to a token with read access to the model");
        }
        return new HubException(message + "HF_TOKEN is set but was rejected: check that the token is valid, has read access,"
                + " and that access to a gated model was granted on its page");
    }

    private ModelNotFoundException notFound(String modelId, String revision, String file, String errorCode) {
        if (errorCode.equals("RevisionNotFound")) {
            return new ModelNotFoundException("Revision " + revision + " of model " + modelId
                    + " was not found on " + authorization.endpoint() + ". Check the revision: a branch, a tag or a commit hash");
        }
        if (errorCode.equals("RepositoryNotFound")) {
            return new ModelNotFoundException("Model " + modelId + " was not found on " + authorization.endpoint()
                    + ". Check the model id, such as 'openai/clip-vit-base-patch32'");
        }
        return new ModelNotFoundException(file + " of model " + modelId + " at revision " + revision
                + " was not found (HTTP 404) on " + authorization.endpoint() + ". Check the model id and the revision");
    }

    /** Strips the weak-validator prefix and the quotes: {@code W/"abc"} becomes {@code abc}. */
    private static String normalizeEtag(String etag) {
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static URI stripTrailingSlash(URI endpoint) {
        String text = endpoint.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : endpoint;
    }

    @Override
    public String toString() {
        return "HubClient[endpoint=" + authorization.endpoint() + ", cache=" + cache.root() + ", offline=" + offline
                + ", token=" + (authorization.token() == null ? "none" : "set") + ", maxAttempts=" + maxAttempts
                + ", firstBackoff=" + firstBackoff + "]";
    }
}
