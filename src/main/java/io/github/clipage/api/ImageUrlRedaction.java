package io.github.clipage.api;

import java.net.URI;

/**
 * Shortens image URLs to {@code scheme://host[:port]/path} before they go into a message or a log line, because
 * the user information ({@code user:password@}) and the query string, which often carries a signature or an
 * access token, are secrets of the caller.
 */
final class ImageUrlRedaction {

    private ImageUrlRedaction() {}

    /** Returns {@code scheme://host[:port]/path} of a URL, without user information, query or fragment. */
    static String redact(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return redact(uri.toString());
        }

        StringBuilder text = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() != -1) {
            text.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            text.append(uri.getRawPath());
        }
        return text.toString();
    }

    /**
     * Redacts URL text that {@link URI} may fail to parse: cuts it at the first {@code ?} or {@code #}, and drops
     * everything up to the last {@code @} of the authority.
     */
    static String redact(String url) {
        String withoutQuery = url;
        int queryStart = indexOfAny(url, '?', '#');
        if (queryStart >= 0) {
            withoutQuery = url.substring(0, queryStart);
        }

        int authorityStart = withoutQuery.indexOf("://");
        if (authorityStart < 0) {
            return withoutQuery;
        }
        authorityStart += "://".length();
        int authorityEnd = withoutQuery.indexOf('/', authorityStart);
        if (authorityEnd < 0) {
            authorityEnd = withoutQuery.length();
        }
        int userInfoEnd = withoutQuery.lastIndexOf('@', authorityEnd - 1);
        if (userInfoEnd < authorityStart) {
            return withoutQuery;
        }
        return withoutQuery.substring(0, authorityStart) + withoutQuery.substring(userInfoEnd + 1);
    }

    private static int indexOfAny(String text, char first, char second) {
        int firstIndex = text.indexOf(first);
        int secondIndex = text.indexOf(second);
        if (firstIndex < 0) {
            return secondIndex;
        }
        return secondIndex < 0 ? firstIndex : Math.min(firstIndex, secondIndex);
    }
}
