package io.github.clipage.image;

import java.util.Objects;

/** Signals that uploaded bytes cannot be turned into an image, with a machine-readable reason. */
public class InvalidImageException extends RuntimeException {

    /** Reason an image was rejected, one per HTTP status class that the web layer returns. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** The bytes are not in a supported image format (JPEG, PNG, GIF, BMP, TIFF, WebP), HEIC and AVIF included. */
        UNSUPPORTED_FORMAT,
        /** The bytes start like a supported format but cannot be decoded completely. */
        CORRUPT,
        /** The header declares more pixels than the configured maximum, or the resize would need too many. */
        TOO_MANY_PIXELS,
        /** The header declares a width or height of zero. */
        ZERO_SIZE
    }

    private final Reason reason;

    /** Creates the exception with its reason and a message that names what was wrong. */
    public InvalidImageException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Creates the exception with its reason, a message and the decoder error behind it. */
    public InvalidImageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Returns the machine-readable reason. */
    public Reason reason() {
        return reason;
    }
}
