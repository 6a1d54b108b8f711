package io.github.clipage.serving;

import java.time.Duration;

/** Thrown when a request arrives while the service shuts down; another replica should take it. */
public class ShuttingDownException extends ServiceBusyException {

    /** Creates the exception with a message and a suggested wait before retrying. */
    public ShuttingDownException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
