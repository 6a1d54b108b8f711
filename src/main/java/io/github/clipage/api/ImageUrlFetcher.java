package io.github.clipage.api;

import io.github.clipage.api.ImageUrlException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches an image given by http or https URL, guarded against server-side request forgery.
 *
 * <p>On every hop, the first request and each redirect target alike, the host must be on the allow-list and
 * every address it resolves to must pass the {@link ImageUrlAddressPolicy}; the connection then goes to one of
 * those checked addresses, so a second DNS answer cannot redirect it. Redirects are followed up to the
 * configured number, the whole fetch has one deadline, and the body is read only up to the byte limit.
 */
public final class ImageUrlFetcher {

    private static final Logger log = LoggerFactory.getLogger(ImageUrlFetcher.class);
    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

    private final RemoteImageProperties properties;
    private final ImageUrlAllowList allowList;
    private final ImageUrlAddressPolicy addressPolicy;

    /** Creates the fetcher from its settings and the policy that every resolved address must pass. */
    public ImageUrlFetcher(RemoteImageProperties properties, ImageUrlAddressPolicy addressPolicy) {
        this.properties = properties;
        this.allowList = ImageUrlAllowList.of(properties.allowedHosts());
        this.addressPolicy = addressPolicy;
    }

    /** Returns whether the URL has a scheme this fetcher handles, http or https, whatever the settings. */
    public static boolean isHttpUrl(String url) {
        String lowerCase = url.toLowerCase(Locale.ROOT);
        return lowerCase.startsWith("http://") || lowerCase.startsWith("https://");
    }

    /**
     * Downloads the body at {@code url}, following redirects.
     *
     * @throws ImageUrlException with {@link Reason#NOT_ALLOWED} when fetching is disabled or a URL, host or address
     *     on the way is not allowed; {@link Reason#TOO_LARGE} when the body passes the limit; {@link
     *     Reason#FETCH_FAILED} when the server cannot be reached, the time limit passes, there are too many
     *     redirects or the final response is not 2xx
     */
    public byte[] fetch(String url) {
        if (!properties.enabled()) {
            throw new ImageUrlException(Reason.NOT_ALLOWED, "Images by URL are disabled on this service. Send the image"
                    + " as a data URL (data:image/jpeg;base64,...), or have the operator set"
                    + " age.remote-images.enabled=true and list the image hosts in age.remote-images.allowed-hosts.");
        }
        URI uri = parse(url);
        Instant deadline = Instant.now().plus(properties.timeout());

        for (int redirects = 0; ; redirects++) {
            List<InetAddress> addresses = checkHop(uri);
            ImageUrlConnection.Response response = request(uri, addresses, deadline);
            int status = response.status();

            if (REDIRECT_STATUSES.contains(status)) {
                String location = response.header("location");
                if (location == null) {
                    throw failed(uri, "responded HTTP " + status + " without a Location header");
                }
                if (redirects == properties.maxRedirects()) {
                    throw failed(uri, "redirected more than " + properties.maxRedirects()
                            + " times (age.remote-images.max-redirects)");
                }
                uri = redirectTarget(uri, location);
                log.debug("Following HTTP {} redirect to {}", status, ImageUrlRedaction.redact(uri));
                continue;
            }
            if (status < 200 || status >= 300) {
                throw failed(uri, "responded HTTP " + status + " instead of 2xx");
            }
            return response.body();
        }
    }

    private static URI parse(String url) {
        try {
            return new URI(url).normalize();
        } catch (URISyntaxException e) {
            // The exception's message repeats the whole input, credentials included, so only its reason is shown.
            throw new ImageUrlException(Reason.NOT_ALLOWED, "The image URL " + ImageUrlRedaction.redact(url)
                    + " is not a valid URL: " + e.getReason() + ".", e);
        }
    }

    /** Checks scheme, host and resolved addresses of one hop and returns the addresses that may be connected to. */
    private List<InetAddress> checkHop(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw notAllowed("The URL " + ImageUrlRedaction.redact(uri) + " is not http or https.");
        }
        if (uri.getRawUserInfo() != null) {
            throw notAllowed("The URL " + ImageUrlRedaction.redact(uri)
                    + " contains user information; give the image URL without user:password@.");
        }
        String host = uri.getHost();
        if (host == null) {
            throw notAllowed("The URL " + ImageUrlRedaction.redact(uri) + " has no valid host name.");
        }
        if (!allowList.allows(host)) {
            throw notAllowed("The host " + host + " is not in age.remote-images.allowed-hosts; ask the operator to add"
                    + " it, or send the image as a data URL.");
        }

        List<InetAddress> addresses = resolve(uri, host);
        for (InetAddress address : addresses) {
            if (!addressPolicy.permits(address)) {
                throw notAllowed("The host " + host + " resolves to " + address.getHostAddress() + ", a "
                        + ImageUrlAddressKind.of(address).name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " address; images are fetched from public addresses only.");
            }
        }
        return addresses;
    }

    private static List<InetAddress> resolve(URI uri, String host) {
        try {
            // Limitation: the JDK's resolver has no timeout, so a slow DNS server can hold a request past the fetch timeout.
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw failed(uri, "has a host name that does not resolve", e);
        }
    }

    private ImageUrlConnection.Response request(URI uri, List<InetAddress> addresses, Instant deadline) {
        IOException last = null;
        for (InetAddress address : addresses) {
            try {
                return ImageUrlConnection.get(uri, address, deadline, properties.maxBytes().toBytes());
            } catch (ConnectException e) {
                // Try the host's next address, as browsers do when one of them refuses.
                last = e;
            } catch (SocketTimeoutException e) {
                throw failed(uri, "did not respond within " + properties.timeout().toMillis()
                        + " ms (age.remote-images.timeout)", e);
            } catch (IOException e) {
                throw failed(uri, "could not be fetched: " + e.getMessage(), e);
            }
        }
        throw failed(uri, "refused the connection", last);
    }

    private static URI redirectTarget(URI from, String location) {
        try {
            return from.resolve(new URI(location)).normalize();
        } catch (URISyntaxException e) {
            throw failed(from, "redirected to an invalid URL: " + ImageUrlRedaction.redact(location), e);
        }
    }

    private static ImageUrlException notAllowed(String message) {
        return new ImageUrlException(Reason.NOT_ALLOWED, message);
    }

    private static ImageUrlException failed(URI uri, String problem) {
        return new ImageUrlException(Reason.FETCH_FAILED, "The image URL " + ImageUrlRedaction.redact(uri) + " " + problem + ".");
    }

    private static ImageUrlException failed(URI uri, String problem, Throwable cause) {
        return new ImageUrlException(Reason.FETCH_FAILED, "The image URL " + ImageUrlRedaction.redact(uri) + " " + problem + ".",
                cause);
    }
}
