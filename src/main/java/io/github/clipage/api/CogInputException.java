package io.github.clipage.api;

import org.springframework.http.HttpStatus;

/**
 * Signals that a {@code POST /predictions} request cannot be run, with the HTTP status of the failed prediction
 * it is answered with.
 */
public class CogInputException extends RuntimeException {

    private final HttpStatus status;

    /** Creates the exception with the answer's status and a message that tells the caller what to fix. */
    public CogInputException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    /** Creates a 400 Bad Request exception. */
    public static CogInputException badRequest(String message) {
        return new CogInputException(HttpStatus.BAD_REQUEST, message);
    }

    /** Returns the HTTP status of the answer. */
    public HttpStatus status() {
        return status;
    }
}
