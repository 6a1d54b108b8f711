package io.github.clipage.hub;

import java.net.http.HttpHeaders;
import java.time.Duration;

/** Sorts unexpected HTTP statuses into retryable failures and failures that need the operator. */
final class HttpStatus {

    private HttpStatus() {
    }

    /** Returns whether a later attempt may get another status: 408, 429 and every 5xx. */
    static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /**
     * Returns a retryable failure for a transient status, or raises a {@link HubException} for any
     * other, because repeating the request would get the same status.
     */
    static TransientFailure failure(int status, HttpHeaders headers, String description) {
        if (isTransient(status)) {
            return new TransientFailure("HTTP " + status, retryAfter(headers));
        }
        if (status == 401 || status == 403) {
            throw new HubException(description + " failed: HTTP " + status
                    + ". Set HF_TOKEN to a token with read access to the model");
        }
        throw new HubException(description + " failed: HTTP " + status + ". Check HF_ENDPOINT, the model id and the revision");
    }

    /** Reads {@code Retry-After} in seconds; the HTTP-date form is ignored. */
    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
