package io.github.clipage.hub;

/** Failure raised when a model, a revision or one of its required files exists neither in the cache nor on the hub. */
public class ModelNotFoundException extends HubException {

    /** Creates an exception with a message for the operator. */
    public ModelNotFoundException(String message) {
        super(message);
    }
}
