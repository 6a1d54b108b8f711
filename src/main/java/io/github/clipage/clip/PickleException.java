package io.github.clipage.clip;

import java.io.IOException;

/** Failure to read a pickled checkpoint: a malformed or truncated pickle, or one that requests a Python global outside the allow-list. */
public class PickleException extends IOException {

    /** Creates an exception with a message that names the file and the problem. */
    public PickleException(String message) {
        super(message);
    }

    /** Creates an exception with a message that names the file and the problem, and its cause. */
    public PickleException(String message, Throwable cause) {
        super(message, cause);
    }
}
