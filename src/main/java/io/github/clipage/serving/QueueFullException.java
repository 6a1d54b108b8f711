package io.github.clipage.serving;

import java.time.Duration;

/** Thrown at once when the request queue is full; the API responds 429 with {@code Retry-After}. */
public class QueueFullException extends ServiceBusyException {

    /** Creates the exception with a message and a suggested wait before retrying. */
    public QueueFullException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
