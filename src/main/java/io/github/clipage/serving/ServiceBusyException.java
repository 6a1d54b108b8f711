package io.github.clipage.serving;

import java.time.Duration;

/**
 * Thrown when the service cannot take a request now, for example while it shuts down; the caller may
 * retry after {@link #retryAfter()}.
 */
public class ServiceBusyException extends RuntimeException {

    private final Duration retryAfter;

    /** Creates the exception with a message and a suggested wait before retrying. */
    public ServiceBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** Returns how long the caller should wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
