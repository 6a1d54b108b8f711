package io.github.clipage.prediction;

/**
 * Stops start-up when the model cannot be set up, with what went wrong and what to do, which
 * {@link ModelStartupFailureAnalyzer} prints in place of a stack trace.
 */
public class ModelStartupException extends RuntimeException {

    private final String action;

    /** Creates the exception with the problem, the fix and the error behind it. */
    public ModelStartupException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** Returns what the operator should do. */
    public String action() {
        return action;
    }
}
