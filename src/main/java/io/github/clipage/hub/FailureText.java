package io.github.clipage.hub;

import java.nio.file.FileSystemException;
import java.util.Map;

/** Readable descriptions of exceptions for operator messages, also for exceptions without a message. */
final class FailureText {

    // Exceptions that the JDK throws without a message, with what they mean for a download.
    private static final Map<String, String> MEANINGS = Map.of(
            "UnresolvedAddressException", "host not found",
            "ClosedChannelException", "connection refused or closed");

    private FailureText() {}

    /**
     * Describes a failure: its message when it has one (after the class name for file-system
     * failures), otherwise its class name and the first cause with a message, or the innermost cause. The JDK's {@code HttpClient} throws a {@code ConnectException} without
     * a message around the real cause, whose {@code getMessage()} alone would read {@code null}.
     */
    static String of(Throwable failure) {
        if (failure instanceof FileSystemException && hasMessage(failure)) {
            // Their message is often just the path, as for AccessDeniedException, so the class name says what failed.
            return failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        if (hasMessage(failure)) {
            return failure.getMessage();
        }

        Throwable cause = failure.getCause();
        while (cause != null && !hasMessage(cause) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause == null || cause == failure) {
            return nameOf(failure);
        }
        String causeText = hasMessage(cause) ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : nameOf(cause);
        if (cause.getClass() == failure.getClass()) {
            return causeText;
        }
        return failure.getClass().getSimpleName() + ": " + causeText;
    }

    private static boolean hasMessage(Throwable failure) {
        return failure.getMessage() != null && !failure.getMessage().isBlank();
    }

    private static String nameOf(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        String meaning = MEANINGS.get(name);
        return meaning == null ? name : name + " (" + meaning + ")";
    }
}
