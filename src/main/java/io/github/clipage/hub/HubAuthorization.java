package io.github.clipage.hub;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;

/**
 * The hub token and the origin it may be sent to. A file host that the hub redirects to gets no
 * token, because the redirect URL carries its own signature and the token must not leak to
 * another host.
 */
record HubAuthorization(URI endpoint, String token) {

    /** Adds the {@code Authorization} header when there is a token and the target has the hub's origin. */
    HttpRequest.Builder apply(HttpRequest.Builder request, URI target) {
        if (token != null && isHubOrigin(target)) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /** Returns whether the target has the hub's scheme, host and port. */
    boolean isHubOrigin(URI target) {
        return scheme(target).equals(scheme(endpoint))
                && host(target).equals(host(endpoint))
                && port(target) == port(endpoint);
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static String host(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(scheme(uri)) ? 443 : 80;
    }

    @Override
    public String toString() {
        // The token is a secret and must stay out of logs and exception messages.
        return "HubAuthorization[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
