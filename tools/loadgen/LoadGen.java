import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Sends multipart image uploads to the age service on a loopback address and reports throughput,
 * latency percentiles and the count of each HTTP status.
 *
 * <p>Run it as a single-file program with JDK 17 or newer:
 *
 * <pre>
 * java tools/loadgen/LoadGen.java --url http://127.0.0.1:8080/api/v1/age --image a.jpg,b.png \
 *     --concurrency 4 --requests 200 --max-seconds 60 [--warmup 8] [--json result.json]
 * </pre>
 *
 * <p>Each of the {@code --concurrency} worker threads sends one request at a time and waits for its
 * response (a closed loop). The run stops when {@code --requests} requests have been started or
 * {@code --max-seconds} have passed, whichever comes first. Requests already in flight at that
 * point are awaited, each for at most {@code --request-timeout} seconds, so a run never lasts
 * longer than the two limits added together. Only hosts that are loopback addresses are accepted.
 */
public final class LoadGen {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String USAGE = String.join("\n",
            "Usage: java tools/loadgen/LoadGen.java --url http://127.0.0.1:PORT/api/v1/age --image FILE[,FILE...]",
            "           --concurrency N --requests R --max-seconds S [--warmup W] [--request-timeout T]",
            "           [--part-name NAME] [--json OUT]",
            "  --url              endpoint to POST to; the host must be 127.0.0.0/8, ::1 or localhost",
            "  --image            image files, sent in turn, one per request",
            "  --concurrency      worker threads, each with one request in flight (1 to 1024)",
            "  --requests         max number of measured requests",
            "  --max-seconds      max duration of the measured phase in seconds",
            "  --warmup           requests sent before measuring, not counted (default 0)",
            "  --request-timeout  seconds to wait for one response (default 60)",
            "  --part-name        name of the multipart part (default image)",
            "  --json             also write the results as JSON to this file");

    private LoadGen() {}

    /** Parses the arguments, runs the warm-up and the measured phase, and prints the results. */
    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Invalid arguments: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }

        List<Upload> uploads = new ArrayList<>();
        String boundary = "loadgen-" + Long.toHexString(System.nanoTime());
        for (Path image : settings.images()) {
            uploads.add(Upload.of(image, settings.partName(), boundary));
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        if (settings.warmup() > 0) {
            Phase warmup = new Phase(settings, client, uploads, settings.warmup(), settings.maxSeconds());
            Result warmupResult = warmup.run();
            System.out.printf(Locale.ROOT, "warm-up: %d requests, statuses %s%n",
                    warmupResult.records().size(), warmupResult.countsByStatus());
        }

        Phase measured = new Phase(settings, client, uploads, settings.requests(), settings.maxSeconds());
        Result result = measured.run();
        Summary summary = Summary.of(result);
        summary.print(System.out, settings);
        if (settings.jsonOutput() != null) {
            Files.writeString(settings.jsonOutput(), summary.toJson(settings), StandardCharsets.UTF_8);
        }
        if (summary.ok() == 0) {
            System.err.println("No request succeeded: check the URL, the image files and the service log.");
            System.exit(3);
        }
    }

    /** Parsed command-line settings. */
    record Settings(URI url, List<Path> images, int concurrency, int requests, double maxSeconds, int warmup,
            double requestTimeoutSeconds, String partName, Path jsonOutput) {

        /** Parses and checks the command line, throwing {@link IllegalArgumentException} on any invalid value. */
        static Settings parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (!name.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, found \"" + name + "\"");
                }
                values.put(name.substring(2), args[++i]);
            }
            List<String> known = List.of("url", "image", "concurrency", "requests", "max-seconds", "warmup",
                    "request-timeout", "part-name", "json");
            for (String name : values.keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }

            URI url = loopbackUrl(required(values, "url"));
            List<Path> images = new ArrayList<>();
            for (String file : required(values, "image").split(",")) {
                Path path = Path.of(file.trim());
                if (!Files.isRegularFile(path)) {
                    throw new IllegalArgumentException("image file not found: " + path);
                }
                images.add(path);
            }
            int concurrency = intInRange(values, "concurrency", required(values, "concurrency"), 1, 1024);
            int requests = intInRange(values, "requests", required(values, "requests"), 1, 10_000_000);
            double maxSeconds = positiveSeconds("max-seconds", required(values, "max-seconds"));
            int warmup = intInRange(values, "warmup", values.getOrDefault("warmup", "0"), 0, 1_000_000);
            double requestTimeout = positiveSeconds("request-timeout", values.getOrDefault("request-timeout", "60"));
            String partName = values.getOrDefault("part-name", "image");
            Path json = values.containsKey("json") ? Path.of(values.get("json")) : null;
            return new Settings(url, images, concurrency, requests, maxSeconds, warmup, requestTimeout, partName, json);
        }

        private static String required(Map<String, String> values, String name) {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("missing --" + name);
            }
            return value;
        }

        private static int intInRange(Map<String, String> values, String name, String text, int min, int max) {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be an integer, found \"" + text + "\"");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("--" + name + " must be from " + min + " to " + max + ", found " + value);
            }
            return value;
        }

        private static double positiveSeconds(String name, String text) {
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number of seconds, found \"" + text + "\"");
            }
            if (!(value > 0) || value > 86_400) {
                throw new IllegalArgumentException("--" + name + " must be above 0 and at most 86400, found " + text);
            }
            return value;
        }
    }

    /**
     * Parses the URL and checks that its host is a loopback address.
     *
     * <p>Only {@code localhost} and IP literals are accepted, so no other name is ever looked up in
     * DNS. {@code localhost} must also resolve to loopback addresses only.
     */
    static URI loopbackUrl(String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid --url \"" + text + "\": " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("--url must be http or https, found \"" + text + "\"");
        }
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException("--url has no host: \"" + text + "\"");
        }

        boolean ipv6Literal = host.startsWith("[") && host.endsWith("]");
        boolean literal = ipv6Literal || IPV4_LITERAL.matcher(host).matches();
        if (!literal && !host.equalsIgnoreCase("localhost")) {
            throw new IllegalArgumentException("host \"" + host + "\" is not a loopback address: use 127.0.0.1, [::1] or localhost");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(ipv6Literal ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host \"" + host + "\" cannot be resolved: " + e.getMessage());
        }
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("host \"" + host + "\" resolves to " + address.getHostAddress()
                        + ", which is not a loopback address");
            }
        }
        return url;
    }

    /** One image file as a complete multipart body. */
    record Upload(String name, byte[] body, String contentType) {

        /** Reads an image and wraps it in a multipart body with a single part. */
        static Upload of(Path image, String partName, String boundary) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(image);
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read image " + image, e);
            }
            String fileName = image.getFileName().toString().replace("\"", "");
            String head = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"" + partName + "\"; filename=\"" + fileName + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n";
            String tail = "\r\n--" + boundary + "--\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
            byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[headBytes.length + bytes.length + tailBytes.length];
            System.arraycopy(headBytes, 0, body, 0, headBytes.length);
            System.arraycopy(bytes, 0, body, headBytes.length, bytes.length);
            System.arraycopy(tailBytes, 0, body, headBytes.length + bytes.length, tailBytes.length);
            return new Upload(fileName, body, "multipart/form-data; boundary=" + boundary);
        }
    }

    /**
     * Outcome of one request.
     *
     * @param status the HTTP status, or -1 when no response arrived
     * @param latencyNanos time from sending the request to reading the whole response body
     * @param error the exception's class and message when no response arrived, else null
     */
    record RequestRecord(int status, long latencyNanos, String error) {}

    /**
     * Everything one phase measured.
     *
     * @param records one record per finished request, in order of completion
     * @param elapsedNanos from the start of the phase to the end of its last request
     */
    record Result(List<RequestRecord> records, long elapsedNanos) {

        /** Counts the records by status, with -1 for requests that got no response. */
        Map<Integer, Integer> countsByStatus() {
            Map<Integer, Integer> counts = new TreeMap<>();
            for (RequestRecord record : records) {
                counts.merge(record.status(), 1, Integer::sum);
            }
            return counts;
        }
    }

    /** A closed-loop run of worker threads, bounded by a request count and a duration. */
    static final class Phase {

        private final Settings settings;
        private final HttpClient client;
        private final List<Upload> uploads;
        private final int requestLimit;
        private final double maxSeconds;
        private final AtomicInteger started = new AtomicInteger();
        private final List<RequestRecord> records = new ArrayList<>();

        Phase(Settings settings, HttpClient client, List<Upload> uploads, int requestLimit, double maxSeconds) {
            this.settings = settings;
            this.client = client;
            this.uploads = uploads;
            this.requestLimit = requestLimit;
            this.maxSeconds = maxSeconds;
        }

        /** Runs the workers until the request limit or the time limit, then waits for requests in flight. */
        Result run() throws InterruptedException {
            long startNanos = System.nanoTime();
            long deadlineNanos = startNanos + (long) (maxSeconds * 1e9);
            ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency());
            for (int i = 0; i < settings.concurrency(); i++) {
                workers.submit(() -> work(deadlineNanos));
            }
            workers.shutdown();

            // A request started just before the deadline may take up to the request timeout; one more
            // second covers the time to record it.
            long graceSeconds = (long) Math.ceil(maxSeconds + settings.requestTimeoutSeconds()) + 1;
            if (!workers.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
                workers.shutdownNow();
                System.err.println("Workers did not stop within " + graceSeconds + " s; results are partial");
            }
            long endNanos = System.nanoTime();
            synchronized (records) {
                return new Result(List.copyOf(records), endNanos - startNanos);
            }
        }

        private void work(long deadlineNanos) {
            Duration timeout = Duration.ofMillis((long) (settings.requestTimeoutSeconds() * 1000));
            while (System.nanoTime() < deadlineNanos) {
                int index = started.getAndIncrement();
                if (index >= requestLimit) {
                    return;
                }
                Upload upload = uploads.get(index % uploads.size());
                HttpRequest request = HttpRequest.newBuilder(settings.url())
                        .timeout(timeout)
                        .header("Content-Type", upload.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body()))
                        .build();
                RequestRecord record = send(request);
                synchronized (records) {
                    records.add(record);
                }
            }
        }

        private RequestRecord send(HttpRequest request) {
            long sentNanos = System.nanoTime();
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                return new RequestRecord(response.statusCode(), System.nanoTime() - sentNanos, null);
            } catch (IOException e) {
                return new RequestRecord(-1, System.nanoTime() - sentNanos, e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new RequestRecord(-1, System.nanoTime() - sentNanos, "interrupted");
            }
        }
    }

    /** Throughput, latency percentiles and status counts of one measured phase. */
    record Summary(int total, int ok, Map<Integer, Integer> countsByStatus, Map<String, Integer> errors,
            double elapsedSeconds, double throughput, double[] okLatenciesMillis, double[] allLatenciesMillis) {

        /** Computes the summary of a result. */
        static Summary of(Result result) {
            Map<String, Integer> errors = new TreeMap<>();
            List<Double> okLatencies = new ArrayList<>();
            List<Double> allLatencies = new ArrayList<>();
            for (RequestRecord record : result.records()) {
                double millis = record.latencyNanos() / 1e6;
                allLatencies.add(millis);
                if (record.status() == 200) {
                    okLatencies.add(millis);
                }
                if (record.error() != null) {
                    errors.merge(record.error(), 1, Integer::sum);
                }
            }
            double elapsedSeconds = result.elapsedNanos() / 1e9;
            double throughput = okLatencies.size() / elapsedSeconds;
            return new Summary(result.records().size(), okLatencies.size(), result.countsByStatus(), errors,
                    elapsedSeconds, throughput, sorted(okLatencies), sorted(allLatencies));
        }

        private static double[] sorted(List<Double> values) {
            double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(array);
            return array;
        }

        /** Returns the nearest-rank percentile of sorted values, or NaN when there are none. */
        static double percentile(double[] sortedValues, double percent) {
            if (sortedValues.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(percent / 100 * sortedValues.length);
            return sortedValues[Math.max(rank, 1) - 1];
        }

        /** Prints the summary as a few readable lines. */
        void print(PrintStream out, Settings settings) {
            out.printf(Locale.ROOT, "url %s, concurrency %d, %d requests in %.2f s%n",
                    settings.url(), settings.concurrency(), total, elapsedSeconds);
            out.printf(Locale.ROOT, "throughput: %.2f requests/s with status 200%n", throughput);
            printLatencies(out, "latency of 200s (ms)", okLatenciesMillis);
            if (ok != total) {
                printLatencies(out, "latency of all (ms)", allLatenciesMillis);
            }
            StringBuilder statuses = new StringBuilder("statuses:");
            countsByStatus.forEach((status, count) ->
                    statuses.append(' ').append(status == -1 ? "no-response" : status.toString()).append('=').append(count));
            out.println(statuses);
            int rejected429 = countsByStatus.getOrDefault(429, 0);
            int rejected503 = countsByStatus.getOrDefault(503, 0);
            int noResponse = countsByStatus.getOrDefault(-1, 0);
            out.printf(Locale.ROOT, "not 200: 429=%d 503=%d, other statuses %d, no response %d%n",
                    rejected429, rejected503, total - ok - rejected429 - rejected503 - noResponse, noResponse);
            errors.forEach((message, count) -> out.printf(Locale.ROOT, "error x%d: %s%n", count, message));
        }

        private static void printLatencies(PrintStream out, String label, double[] values) {
            out.printf(Locale.ROOT, "%s: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f%n", label,
                    percentile(values, 50), percentile(values, 95), percentile(values, 99), percentile(values, 100));
        }

        /** Returns the settings and the summary as a JSON document. */
        String toJson(Settings settings) {
            StringBuilder json = new StringBuilder("{\n");
            json.append("  \"url\": ").append(quote(settings.url().toString())).append(",\n");
            json.append("  \"images\": [");
            for (int i = 0; i < settings.images().size(); i++) {
                json.append(i == 0 ? "" : ", ").append(quote(settings.images().get(i).toString()));
            }
            json.append("],\n");
            json.append("  \"concurrency\": ").append(settings.concurrency()).append(",\n");
            json.append("  \"requestLimit\": ").append(settings.requests()).append(",\n");
            json.append("  \"maxSeconds\": ").append(number(settings.maxSeconds())).append(",\n");
            json.append("  \"warmup\": ").append(settings.warmup()).append(",\n");
            json.append("  \"requests\": ").append(total).append(",\n");
            json.append("  \"ok\": ").append(ok).append(",\n");
            json.append("  \"elapsedSeconds\": ").append(number(elapsedSeconds)).append(",\n");
            json.append("  \"throughput\": ").append(number(throughput)).append(",\n");
            json.append("  \"countsByStatus\": {");
            int index = 0;
            for (Map.Entry<Integer, Integer> entry : countsByStatus.entrySet()) {
                json.append(index++ == 0 ? "" : ", ").append(quote(entry.getKey().toString())).append(": ").append(entry.getValue());
            }
            json.append("},\n");
            json.append("  \"errors\": {");
            index = 0;
            for (Map.Entry<String, Integer> entry : errors.entrySet()) {
                json.append(index++ == 0 ? "" : ", ").append(quote(entry.getKey())).append(": ").append(entry.getValue());
            }
            json.append("},\n");
            appendLatencies(json, "latencyMillis", okLatenciesMillis);
            json.append(",\n");
            appendLatencies(json, "latencyMillisAll", allLatenciesMillis);
            json.append("\n}\n");
            return json.toString();
        }

        private static void appendLatencies(StringBuilder json, String name, double[] values) {
            json.append("  ").append(quote(name)).append(": {");
            json.append("\"p50\": ").append(number(percentile(values, 50)));
            json.append(", \"p95\": ").append(number(percentile(values, 95)));
            json.append(", \"p99\": ").append(number(percentile(values, 99)));
            json.append(", \"max\": ").append(number(percentile(values, 100)));
            json.append("}");
        }

        private static String number(double value) {
            return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null";
        }

        private static String quote(String text) {
            StringBuilder quoted = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> quoted.append("\\\"");
                    case '\\' -> quoted.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            quoted.append(c);
                        }
                    }
                }
            }
            return quoted.append('"').toString();
        }
    }
}
