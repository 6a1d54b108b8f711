package io.github.clipage.serving;

/** Thrown when the thread waiting for a result is interrupted; the queued image is dropped. */
public class RequestCancelledException extends RuntimeException {

    /** Creates the exception with a message. */
    public RequestCancelledException(String message) {
        super(message);
    }
}
