package io.github.clipage.api;

import io.github.clipage.api.ImageUrlException.Reason;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends one HTTP/1.1 GET over a socket connected to an address the caller has already checked.
 *
 * <p>The JDK's {@code HttpClient} resolves the host name again on its own, and a second DNS answer could point
 * it at an address that was never checked (DNS rebinding); it has no way to be given the address. So this class
 * connects the socket itself, sends the URL's host in the {@code Host} header and, for https, verifies the
 * server's certificate against that host name with the JDK's default trust store.
 */
final class ImageUrlConnection {

    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADER_LINES = 100;
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ImageUrlConnection() {
    }

    /**
     * A response: the status, the headers by lower-case name (the last value wins), and the body, which is read
     * only for 2xx responses.
     */
    record Response(int status, Map<String, String> headers, byte[] body) {

        /** Returns a header's value, or null when absent. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sends a GET for {@code uri} to {@code address} and reads the response.
     *
     * @param deadline when the whole exchange must be over; every connect and read waits at most until then
     * @param maxBytes the largest body accepted; reading stops once the body passes it
     * @throws SocketTimeoutException when the deadline passes
     * @throws ImageUrlException with {@link Reason#TOO_LARGE} when the body is larger than {@code maxBytes}
     */
    static Response get(URI uri, InetAddress address, Instant deadline, long maxBytes) throws IOException {
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        int defaultPort = https ? 443 : 80;
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort;

        try (Socket socket = connect(uri.getHost(), address, port, https, deadline)) {
            OutputStream output = socket.getOutputStream();
            output.write(requestHead(uri, port, https).getBytes(StandardCharsets.US_ASCII));
            output.flush();

            InputStream input = new BufferedInputStream(new DeadlineInputStream(socket, deadline));
            int status;
            Map<String, String> headers;
            do {
                // A 1xx interim response is followed by the final one.
                status = readStatus(input);
                headers = readHeaders(input);
            } while (status >= 100 && status < 200);

            if (status < 200 || status >= 300) {
                return new Response(status, headers, new byte[0]);
            }
            return new Response(status, headers, readBody(input, headers, maxBytes));
        }
    }

    private static Socket connect(String host, InetAddress address, int port, boolean https, Instant deadline)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            if (!https) {
                return socket;
            }
            String hostName = sniName(host);
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, hostName, port, true);
            SSLParameters parameters = tls.getSSLParameters();
            // Without this the JDK checks the chain but not that the certificate names the host.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host.startsWith("[") && !IPV4_LITERAL.matcher(hostName).matches()) {
                parameters.setServerNames(List.of(new SNIHostName(hostName)));
            }
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(remainingMillis(deadline));
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String requestHead(URI uri, int port, boolean https) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        boolean defaultPort = port == (https ? 443 : 80);
        String hostHeader = defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: clip-age-predictor\r\n"
                + "Accept: image/*\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n"
                + "\r\n";
    }

    private static int readStatus(InputStream input) throws IOException {
        String line = readLine(input);
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("the server did not respond with HTTP/1.x (status line: " + abbreviate(line) + ")");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("invalid HTTP status line: " + abbreviate(line), e);
        }
    }

    private static Map<String, String> readHeaders(InputStream input) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (int count = 0; ; count++) {
            String line = readLine(input);
            if (line.isEmpty()) {
                return headers;
            }
            if (count == MAX_HEADER_LINES) {
                throw new IOException("the server sent more than " + MAX_HEADER_LINES + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("invalid HTTP header line: " + abbreviate(line));
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    private static byte[] readBody(InputStream input, Map<String, String> headers, long maxBytes) throws IOException {
        String transferEncoding = headers.getOrDefault("transfer-encoding", "");
        if (transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunked(input, maxBytes);
        }
        String contentLength = headers.get("content-length");
        if (contentLength == null) {
            // With "Connection: close" sent, the body ends where the server closes the connection.
            return readCapped(input, Long.MAX_VALUE, maxBytes, new ByteArrayOutputStream());
        }
        long length;
        try {
            length = Long.parseLong(contentLength);
        } catch (NumberFormatException e) {
            throw new IOException("invalid Content-Length: " + abbreviate(contentLength), e);
        }
        if (length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body = readCapped(input, length, maxBytes, new ByteArrayOutputStream());
        if (body.length < length) {
            throw new EOFException("the server closed the connection after " + body.length + " of " + length + " bytes");
        }
        return body;
    }

    private static byte[] readChunked(InputStream input, long maxBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(input);
            int extension = sizeLine.indexOf(';');
            String size = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim();
            long chunkSize;
            try {
                chunkSize = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("invalid chunk size: " + abbreviate(sizeLine), e);
            }
            if (chunkSize == 0) {
                readHeaders(input);
                return body.toByteArray();
            }
            if (chunkSize < 0 || body.size() + chunkSize > maxBytes) {
                throw tooLarge(maxBytes);
            }
            int before = body.size();
            readCapped(input, chunkSize, maxBytes, body);
            if (body.size() - before < chunkSize) {
                throw new EOFException("the server closed the connection inside a chunk");
            }
            if (!readLine(input).isEmpty()) {
                throw new IOException("a chunk does not end with CRLF");
            }
        }
    }

    /** Copies up to {@code length} bytes into {@code body}, failing as soon as it would pass {@code maxBytes}. */
    private static byte[] readCapped(InputStream input, long length, long maxBytes, ByteArrayOutputStream body)
            throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long remaining = length;
        while (remaining > 0) {
            int read = input.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                break;
            }
            if (body.size() + read > maxBytes) {
                throw tooLarge(maxBytes);
            }
            body.write(buffer, 0, read);
            remaining -= read;
        }
        return body.toByteArray();
    }

    private static String readLine(InputStream input) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int next = input.read();
            if (next < 0) {
                throw new EOFException("the server closed the connection in the middle of the HTTP header");
            }
            if (next == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() == MAX_HEADER_LINE) {
                throw new IOException("an HTTP header line is longer than " + MAX_HEADER_LINE + " bytes");
            }
            // Header bytes are ISO-8859-1 by RFC 9110; only ASCII matters for the headers read here.
            line.append((char) next);
        }
    }

    private static ImageUrlException tooLarge(long maxBytes) {
        return new ImageUrlException(Reason.TOO_LARGE,
                "The image at the URL is larger than the limit of " + maxBytes + " bytes (age.remote-images.max-bytes).");
    }

    static int remainingMillis(Instant deadline) throws SocketTimeoutException {
        long millis = Duration.between(Instant.now(), deadline).toMillis();
        if (millis <= 0) {
            throw new SocketTimeoutException("the time limit passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** Returns the name for SNI and certificate checks: no IPv6 brackets and no trailing dot, which SNI forbids. */
    private static String sniName(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** Limits every read to the time left before the deadline, so a server that trickles bytes is cut off too. */
    private static final class DeadlineInputStream extends FilterInputStream {

        private final Socket socket;
        private final Instant deadline;

        DeadlineInputStream(Socket socket, Instant deadline) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return super.read(buffer, offset, length);
        }
    }
}
