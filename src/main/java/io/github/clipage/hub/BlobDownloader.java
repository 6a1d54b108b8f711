package io.github.clipage.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one blob into {@code blobs/{etag}}: through {@code blobs/{etag}.incomplete}, resumed with
 * a {@code Range} request after a cut connection, checked against its SHA-256 and renamed atomically.
 */
final class BlobDownloader {

    private static final Logger log = LoggerFactory.getLogger(BlobDownloader.class);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 5;
    private static final int BUFFER_SIZE = 1 << 20;

    // FileChannel.lock is held per JVM, so threads of one process also need a lock of their own:
    // a second FileChannel.lock on the same file in one JVM throws OverlappingFileLockException.
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final HttpClient httpClient;
    private final HubAuthorization authorization;
    private final RetryPolicy retryPolicy;

    BlobDownloader(HttpClient httpClient, HubAuthorization authorization, RetryPolicy retryPolicy) {
        this.httpClient = httpClient;
        this.authorization = authorization;
        this.retryPolicy = retryPolicy;
    }

    /**
     * Makes sure {@code blobs/{etag}} contains the file, downloading it unless another thread or
     * process of this service already did. The lock file is {@code {etag}.lock} in the locks
     * folder, where {@code huggingface_hub} puts its own, so {@code blobs} contains only blobs.
     * Returns the blob path.
     */
    Path fetch(String modelId, Path blobsFolder, Path locksFolder, FileMetadata metadata) {
        Path blob = blobsFolder.resolve(metadata.etag());
        Path lockFile = locksFolder.resolve(metadata.etag() + ".lock");
        createFolder(blobsFolder);
        createFolder(locksFolder);

        // NOTE: on Linux FileChannel.lock takes a POSIX record lock and huggingface_hub's filelock takes flock,
        // and the two do not exclude each other, so a download by huggingface_hub at the same time is not waited for.
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath(), path -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockChannel.lock()) {
            if (isComplete(blob, metadata)) {
                return blob;
            }
            String description = "Downloading " + metadata.file() + " of " + modelId;
            String advice = "Check network access to " + authorization.endpoint()
                    + ", or set HF_HUB_OFFLINE=1 and use a cache that already contains the model";
            retryPolicy.call(description, advice, () -> {
                downloadOnce(modelId, blob, metadata);
                return blob;
            });
            return blob;
        } catch (IOException e) {
            throw new HubException("Locking " + lockFile + " failed: " + FailureText.of(e)
                    + ". Check that the cache folder is writable", e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Returns whether the blob exists with the announced size; a blob of another size is deleted. */
    private static boolean isComplete(Path blob, FileMetadata metadata) {
        if (!Files.isRegularFile(blob)) {
            return false;
        }
        try {
            long size = Files.size(blob);
            if (metadata.size() >= 0 && size != metadata.size()) {
                log.warn("Deleting cached blob {} because its size {} differs from the {} bytes the hub announced; downloading it again",
                        blob, size, metadata.size());
                Files.delete(blob);
                return false;
            }
            return true;
        } catch (IOException e) {
            throw new HubException("Checking the cached blob " + blob + " failed: " + FailureText.of(e)
                    + ". Check the permissions of the cache folder", e);
        }
    }

    private void downloadOnce(String modelId, Path blob, FileMetadata metadata) throws IOException {
        Path incomplete = blob.resolveSibling(blob.getFileName() + ".incomplete");
        long resumeFrom = Files.isRegularFile(incomplete) ? Files.size(incomplete) : 0;
        if (metadata.size() >= 0 && resumeFrom > metadata.size()) {
            Files.delete(incomplete);
            resumeFrom = 0;
        }
        checkFreeSpace(blob, metadata, resumeFrom);

        HttpResponse<InputStream> response = sendGet(metadata.downloadUri(), resumeFrom, metadata);
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 416 && resumeFrom == metadata.size()) {
                // The partial file already has every byte, only the rename was missing.
                log.debug("Server reports {} already complete at {} bytes", metadata.file(), resumeFrom);
            } else if (status == 416) {
                Files.deleteIfExists(incomplete);
                throw new TransientFailure("the server rejected resuming at byte " + resumeFrom + " (HTTP 416)");
            } else {
                boolean append = status == 206 && contentRangeStart(response) == resumeFrom;
                if (resumeFrom > 0 && !append) {
                    log.info("Server did not resume {} at byte {} (HTTP {}); downloading it from the start",
                            metadata.file(), resumeFrom, status);
                }
                copyBody(modelId, body, incomplete, append ? resumeFrom : 0, metadata);
            }
        }

        checkSize(incomplete, metadata);
        checkSha256(incomplete, metadata);
        moveIntoPlace(incomplete, blob);
    }

    private HttpResponse<InputStream> sendGet(URI uri, long resumeFrom, FileMetadata metadata) throws IOException {
        URI target = uri;
        for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(RESPONSE_TIMEOUT).GET();
            if (resumeFrom > 0) {
                request.header("Range", "bytes=" + resumeFrom + "-");
            }
            authorization.apply(request, target);

            HttpResponse<InputStream> response = send(request.build());
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                String location = response.headers().firstValue("Location").orElse(null);
                response.body().close();
                if (location == null) {
                    throw new HubException("Downloading " + metadata.file() + " from " + target + " failed: HTTP " + status
                            + " without a Location header. Check that HF_ENDPOINT points to a Hugging Face Hub");
                }
                target = target.resolve(location);
                continue;
            }
            if (status == 200 || status == 206 || status == 416) {
                return response;
            }
            response.body().close();
            throw HttpStatus.failure(status, response.headers(), "Downloading " + metadata.file() + " from " + target);
        }
        throw new HubException("Downloading " + metadata.file() + " failed: more than " + MAX_REDIRECTS
                + " redirects, last to " + target + ". Check HF_ENDPOINT");
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return httpClient.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("Interrupted while downloading " + request.uri(), e);
        }
    }

    private static long contentRangeStart(HttpResponse<?> response) {
        // Content-Range: bytes 100-199/200
        String contentRange = response.headers().firstValue("Content-Range").orElse("");
        if (!contentRange.startsWith("bytes ")) {
            return -1;
        }
        int dash = contentRange.indexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(contentRange.substring("bytes ".length(), dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Copies the body into the partial file from the given position; network failures stay retryable. */
    private static void copyBody(String modelId, InputStream body, Path incomplete, long position, FileMetadata metadata)
            throws IOException {
        DownloadProgress progress = new DownloadProgress(modelId, metadata.file(), metadata.size(), position, PROGRESS_INTERVAL);
        byte[] buffer = new byte[BUFFER_SIZE];
        // Limitation: a server that stops sending mid-body without closing the connection blocks this read, since the JDK client has no read timeout.
        try (FileChannel out = openForWriting(incomplete, position)) {
            int read;
            while ((read = body.read(buffer)) != -1) {
                write(out, ByteBuffer.wrap(buffer, 0, read), incomplete, metadata);
                progress.advance(read);
            }
        }
        progress.finish();
    }

    private static FileChannel openForWriting(Path incomplete, long position) {
        try {
            FileChannel channel = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.truncate(position);
            channel.position(position);
            return channel;
        } catch (IOException e) {
            throw new HubException("Opening " + incomplete + " for writing failed: " + FailureText.of(e)
                    + ". Check that the cache folder is writable", e);
        }
    }

    private static void write(FileChannel out, ByteBuffer data, Path incomplete, FileMetadata metadata) {
        try {
            while (data.hasRemaining()) {
                out.write(data);
            }
        } catch (IOException e) {
            // A full disk is the usual cause; a retry would fail the same way, so this is not retried.
            throw new HubException("Writing " + incomplete + " failed: " + FailureText.of(e) + ". The file needs "
                    + DownloadProgress.megabytes(metadata.size()) + " and " + DownloadProgress.megabytes(usableSpace(incomplete))
                    + " are free in the cache at " + incomplete.getParent()
                    + ". Free disk space there, or set HF_HUB_CACHE to a folder on a larger disk", e);
        }
    }

    private static void checkFreeSpace(Path blob, FileMetadata metadata, long resumeFrom) {
        long usable = usableSpace(blob);
        long needed = metadata.size() - resumeFrom;
        if (metadata.size() >= 0 && usable >= 0 && needed > usable) {
            throw new HubException("Not enough disk space for " + metadata.file() + ": it needs "
                    + DownloadProgress.megabytes(needed) + " but only " + DownloadProgress.megabytes(usable)
                    + " are free in the cache at " + blob.getParent()
                    + ". Free disk space there, or set HF_HUB_CACHE to a folder on a larger disk");
        }
    }

    private static long usableSpace(Path file) {
        try {
            return Files.getFileStore(file.getParent()).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void checkSize(Path incomplete, FileMetadata metadata) throws IOException {
        long actual = Files.size(incomplete);
        if (metadata.size() >= 0 && actual < metadata.size()) {
            throw new TransientFailure("the connection ended after " + actual + " of " + metadata.size() + " bytes");
        }
        if (metadata.size() >= 0 && actual > metadata.size()) {
            Files.delete(incomplete);
            throw new TransientFailure("the server sent " + actual + " bytes instead of " + metadata.size()
                    + "; the partial file was removed");
        }
    }

    private static void checkSha256(Path incomplete, FileMetadata metadata) throws IOException {
        if (!metadata.hasSha256()) {
            return;
        }
        String actual = sha256(incomplete);
        if (!actual.equals(metadata.etag())) {
            Files.delete(incomplete);
            log.warn("Checksum mismatch for {}: SHA-256 {} instead of {}. The partial file was removed and the download starts again",
                    metadata.file(), actual, metadata.etag());
            throw new TransientFailure("checksum mismatch for " + metadata.file() + ": SHA-256 " + actual + " instead of "
                    + metadata.etag() + ". The partial file was removed; retry the download");
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
        byte[] buffer = new byte[BUFFER_SIZE];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void moveIntoPlace(Path incomplete, Path blob) {
        try {
            Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HubException("Renaming " + incomplete + " to " + blob + " failed: " + FailureText.of(e)
                    + ". Check that the cache folder is writable", e);
        }
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new HubException("Creating the cache folder " + folder + " failed: " + FailureText.of(e)
                    + ". Check the permissions, or set HF_HUB_CACHE to a writable folder", e);
        }
    }
}
