package io.github.clipage.api;

import org.springframework.http.HttpStatus;

/**
 * Signals that a {@code POST /predictions} request cannot be run, with the HTTP status of the failed-prediction
 * response.
 */
public class CogInputException extends RuntimeException {

    private final HttpStatus status;

    /** Creates the exception with the response status and a message that names what the caller must fix. */
    public CogInputException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    /** Creates a 400 Bad Request exception. */
    public static CogInputException badRequest(String message) {
        return new CogInputException(HttpStatus.BAD_REQUEST, message);
    }

    /** Returns the HTTP status of the response. */
    public HttpStatus status() {
        return status;
    }
}
