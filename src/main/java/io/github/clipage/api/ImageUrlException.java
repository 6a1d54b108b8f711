package io.github.clipage.api;

import java.util.Objects;

/** Signals that an image URL was rejected or could not be fetched, with a machine-readable reason. */
public class ImageUrlException extends RuntimeException {

    /** Reason a URL gave no image. */
    public enum Reason {
        /** Fetching by URL is disabled, or the URL, its host or an address it resolves to is not allowed. */
        NOT_ALLOWED,
        /** The server could not be reached, timed out, redirected too often or responded with an error status. */
        FETCH_FAILED,
        /** The body is larger than the configured maximum. */
        TOO_LARGE
    }

    private final Reason reason;

    /** Creates the exception with its reason and a message that names the URL's problem. */
    public ImageUrlException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Creates the exception with its reason, a message and the I/O error behind it. */
    public ImageUrlException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Returns the machine-readable reason. */
    public Reason reason() {
        return reason;
    }
}
