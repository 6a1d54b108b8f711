package io.github.clipage.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Hugging Face Hub on 127.0.0.1 with one in-memory repository, speaking the resolve protocol:
 * {@code HEAD} with commit, etag and size headers, a 302 to a second server acting as the LFS
 * file host, and {@code Range} requests. Faults can be armed per file.
 */
final class FakeHub implements AutoCloseable {

    /** One request as the fake hub or its file host saw it. */
    record Request(String server, String method, String path, String range, String authorization) {
    }

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private final HttpServer hub;
    private final HttpServer fileHost;
    private final String modelId;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> lfsFilesBySha256 = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> cutAfterBytes = new ConcurrentHashMap<>();
    private final Map<String, Integer> corruptResponses = new ConcurrentHashMap<>();
    private volatile String requiredToken;

    FakeHub(String modelId) throws IOException {
        this.modelId = modelId;
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fileHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", this::handleHub);
        fileHost.createContext("/", this::handleFileHost);
        hub.start();
        fileHost.start();
    }

    /** Adds a file to the repository; names ending in .bin or .safetensors are stored like LFS files. */
    FakeHub withFile(String name, byte[] content) {
        files.put(name, content);
        if (isLfs(name)) {
            lfsFilesBySha256.put(sha256(content), name);
        }
        return this;
    }

    FakeHub withFile(String name, String content) {
        return withFile(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Requires this bearer token on every hub request. */
    void requireToken(String token) {
        this.requiredToken = token;
    }

    /** Makes the next GET of the file close the connection after this many body bytes. */
    void cutNextDownload(String file, int bytes) {
        cutAfterBytes.put(file, bytes);
    }

    /** Makes the next GETs of the file send content with one flipped byte. */
    void corruptNextDownloads(String file, int count) {
        corruptResponses.put(file, count);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    long count(String method, String fileName) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith("/" + fileName)).count();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String gitBlobId(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isLfs(String name) {
        return name.endsWith(".bin") || name.endsWith(".safetensors");
    }

    private void record(String server, HttpExchange exchange) {
        requests.add(new Request(server, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Range"), exchange.getRequestHeaders().getFirst("Authorization")));
    }

    private void handleHub(HttpExchange exchange) throws IOException {
        try (exchange) {
            record("hub", exchange);
            if (requiredToken != null && !("Bearer " + requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("X-Error-Code", "GatedRepo");
                sendEmpty(exchange, 401);
                return;
            }

            // Path: /{org}/{name}/resolve/{revision}/{file}
            String path = exchange.getRequestURI().getRawPath();
            String prefix = "/" + modelId + "/resolve/";
            if (!path.startsWith(prefix)) {
                exchange.getResponseHeaders().set("X-Error-Code", "RepositoryNotFound");
                sendEmpty(exchange, 404);
                return;
            }
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            String revision = rest.substring(0, slash);
            String file = rest.substring(slash + 1);
            if (!revision.equals("main") && !revision.equals(COMMIT)) {
                exchange.getResponseHeaders().set("X-Error-Code", "RevisionNotFound");
                sendEmpty(exchange, 404);
                return;
            }

            exchange.getResponseHeaders().set("X-Repo-Commit", COMMIT);
            byte[] content = files.get(file);
            if (content == null) {
                exchange.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
                sendEmpty(exchange, 404);
                return;
            }
            if (isLfs(file)) {
                String sha256 = sha256(content);
                exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256 + "\"");
                exchange.getResponseHeaders().set("X-Linked-Size", Integer.toString(content.length));
                exchange.getResponseHeaders().set("ETag", "\"" + gitBlobId(content) + "\"");
                exchange.getResponseHeaders().set("Location",
                        "http://127.0.0.1:" + fileHost.getAddress().getPort() + "/lfs/" + sha256 + "/" + file);
                sendEmpty(exchange, 302);
                return;
            }
            exchange.getResponseHeaders().set("ETag", "\"" + gitBlobId(content) + "\"");
            sendContent(exchange, file, content);
        }
    }

    private void handleFileHost(HttpExchange exchange) throws IOException {
        try (exchange) {
            record("files", exchange);
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String file = parts.length > 2 ? lfsFilesBySha256.get(parts[2]) : null;
            if (file == null) {
                sendEmpty(exchange, 404);
                return;
            }
            sendContent(exchange, file, files.get(file));
        }
    }

    /** Sends the content, or the range the request asked for, applying any armed fault. */
    private void sendContent(HttpExchange exchange, String file, byte[] content) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(content.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }

        byte[] body = content;
        if (corruptResponses.getOrDefault(file, 0) > 0) {
            corruptResponses.merge(file, -1, Integer::sum);
            body = content.clone();
            body[body.length / 2] ^= 0x5A;
        }

        int start = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            if (start >= body.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                sendEmpty(exchange, 416);
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
        }
        byte[] slice = Arrays.copyOfRange(body, start, body.length);
        exchange.sendResponseHeaders(start > 0 ? 206 : 200, slice.length);

        Integer cut = cutAfterBytes.remove(file);
        OutputStream out = exchange.getResponseBody();
        if (cut != null) {
            out.write(slice, 0, cut);
            out.flush();
            // Closing a fixed-length body early makes the server drop the connection mid-body.
            return;
        }
        out.write(slice);
    }

    private static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        hub.stop(0);
        fileHost.stop(0);
    }
}
