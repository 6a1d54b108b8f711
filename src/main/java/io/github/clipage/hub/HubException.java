package io.github.clipage.hub;

/** Failure to find or download model files from the Hugging Face Hub, with a message for the operator that names the next step. */
public class HubException extends RuntimeException {

    /** Creates an exception with a message for the operator. */
    public HubException(String message) {
        super(message);
    }

    /** Creates an exception with a message for the operator and the failure behind it. */
    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
