package io.github.clipage.api;

import io.github.clipage.image.InvalidImageException;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Turns rejected images into problem details, for whole responses and for items of a batch. */
final class ImageProblems {

    private ImageProblems() {}

    /** Returns the status for a rejection reason: 415 for a format, 422 for too many pixels, else 400. */
    static HttpStatus statusOf(InvalidImageException.Reason reason) {
        return switch (reason) {
            case UNSUPPORTED_FORMAT -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case TOO_MANY_PIXELS -> HttpStatus.UNPROCESSABLE_CONTENT;
            case EMPTY, CORRUPT, ZERO_SIZE -> HttpStatus.BAD_REQUEST;
        };
    }

    /** Returns the problem body for a rejected image, with the reason as {@code code}. */
    static ProblemDetail problemOf(InvalidImageException e) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(statusOf(e.reason()), e.getMessage());
        body.setTitle("Invalid image");
        body.setProperty("code", codeOf(e.reason()));
        return body;
    }

    /** Returns the {@code code} of a reason: its name in lower case with hyphens. */
    static String codeOf(InvalidImageException.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
