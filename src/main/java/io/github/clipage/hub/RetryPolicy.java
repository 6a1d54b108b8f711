package io.github.clipage.hub;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Repeats a network step that failed with an {@link IOException}, waiting twice as long after each failure. */
final class RetryPolicy {

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /** One network step; an {@link IOException} means a later attempt may succeed. */
    interface Attempt<T> {
        T run() throws IOException;
    }

    private final int maxAttempts;
    private final Duration firstBackoff;

    RetryPolicy(int maxAttempts, Duration firstBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must not be negative, got " + firstBackoff);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
    }

    /**
     * Runs the step until it succeeds or the attempts are used up, then raises a {@link HubException}
     * whose message ends with the advice. A {@link HubException} from the step is not retried.
     */
    <T> T call(String description, String advice, Attempt<T> attempt) {
        IOException lastFailure = null;
        for (int attemptNumber = 1; attemptNumber <= maxAttempts; attemptNumber++) {
            try {
                return attempt.run();
            } catch (IOException e) {
                lastFailure = e;
                if (attemptNumber == maxAttempts) {
                    break;
                }
                Duration delay = delayAfter(attemptNumber, e);
                log.warn("{} failed (attempt {} of {}): {}. Retrying in {} ms",
                        description, attemptNumber, maxAttempts, FailureText.of(e), delay.toMillis());
                sleep(delay);
            }
        }
        throw new HubException(description + " failed after " + maxAttempts + " attempts: " + FailureText.of(lastFailure)
                + ". " + advice, lastFailure);
    }

    private Duration delayAfter(int attemptNumber, IOException failure) {
        if (failure instanceof TransientFailure transientFailure && transientFailure.retryAfter() != null) {
            Duration retryAfter = transientFailure.retryAfter();
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        Duration delay = firstBackoff.multipliedBy(1L << Math.min(attemptNumber - 1, 20));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("Interrupted while waiting to retry a download", e);
        }
    }
}
