package io.github.clipage.hub;

import java.io.IOException;
import java.time.Duration;

/** A failure that a later attempt may not meet: a 5xx or 429 status, a cut connection, a corrupted transfer. */
class TransientFailure extends IOException {

    private final Duration retryAfter;

    TransientFailure(String message) {
        this(message, null);
    }

    TransientFailure(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** Returns the delay the server asked for with {@code Retry-After}, or null. */
    Duration retryAfter() {
        return retryAfter;
    }
}
