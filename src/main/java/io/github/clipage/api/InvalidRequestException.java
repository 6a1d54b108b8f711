package io.github.clipage.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Rejects a request whose parameters are invalid, with a 400 problem of code {@code invalid-request}. */
public class InvalidRequestException extends ErrorResponseException {

    /** Creates the exception with a message that names the parameter, its value and what is allowed. */
    public InvalidRequestException(String detail) {
        super(HttpStatus.BAD_REQUEST, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setTitle("Invalid request");
        body.setProperty("code", "invalid-request");
        return body;
    }
}
