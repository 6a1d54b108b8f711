package io.github.clipage.api;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that images may be fetched from: exact host names, or {@code *.example.com} patterns that match
 * any name ending in {@code .example.com} but not {@code example.com} itself. Matching ignores case and a
 * trailing dot.
 */
public final class ImageUrlAllowList {

    // A host name of letters, digits, hyphens and dots, an IPv4 literal, or a bracketed IPv6 literal.
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\\[[0-9a-f:.]+\\]");

    private final List<String> exactHosts;
    private final List<String> suffixes;

    private ImageUrlAllowList(List<String> exactHosts, List<String> suffixes) {
        this.exactHosts = exactHosts;
        this.suffixes = suffixes;
    }

    /**
     * Parses the configured entries.
     *
     * @throws IllegalArgumentException if an entry is not a host name or a {@code *.} pattern with at least
     *     two labels after the star, such as a URL, a host with a port, or a bare {@code *}
     */
    public static ImageUrlAllowList of(List<String> entries) {
        List<String> normalised = entries.stream().map(ImageUrlAllowList::normalise).toList();
        for (String entry : normalised) {
            String host = entry.startsWith("*.") ? entry.substring(2) : entry;
            boolean valid = HOST.matcher(host).matches() && (!entry.startsWith("*.") || host.contains("."));
            if (!valid) {
                throw new IllegalArgumentException("Invalid entry in age.remote-images.allowed-hosts: '" + entry
                        + "'; write a host name such as images.example.com, or a pattern such as *.example.com,"
                        + " without scheme, port or path");
            }
        }
        List<String> exact = normalised.stream().filter(entry -> !entry.startsWith("*.")).toList();
        List<String> suffixes = normalised.stream().filter(entry -> entry.startsWith("*.")).map(entry -> entry.substring(1)).toList();
        return new ImageUrlAllowList(exact, suffixes);
    }

    /** Returns whether the host of a URL, as {@link java.net.URI#getHost()} gives it, is on the list. */
    public boolean allows(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String normalised = normalise(host);
        if (exactHosts.contains(normalised)) {
            return true;
        }
        return suffixes.stream().anyMatch(suffix -> normalised.endsWith(suffix) && normalised.length() > suffix.length());
    }

    /** Returns whether the list is empty, so that no host is allowed. */
    public boolean isEmpty() {
        return exactHosts.isEmpty() && suffixes.isEmpty();
    }

    private static String normalise(String host) {
        String lowerCase = host.trim().toLowerCase(Locale.ROOT);
        return lowerCase.endsWith(".") ? lowerCase.substring(0, lowerCase.length() - 1) : lowerCase;
    }
}
