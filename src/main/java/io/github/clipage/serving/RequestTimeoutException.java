package io.github.clipage.serving;

import java.time.Duration;

/**
 * Thrown when a request reaches its deadline before its image was computed; the API responds 503
 * with {@code Retry-After}.
 */
public class RequestTimeoutException extends ServiceBusyException {

    /** Creates the exception with a message and a suggested wait before retrying. */
    public RequestTimeoutException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
