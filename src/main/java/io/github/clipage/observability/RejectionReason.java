package io.github.clipage.observability;

/** Reason a request got no age, as the {@code reason} tag of {@code age.requests.rejected}. */
public enum RejectionReason {

    /** The queue was full when the request arrived. */
    QUEUE_FULL("queue-full"),

    /** The request reached its deadline before its image was computed. */
    TIMEOUT("timeout"),

    /** The caller went away, or its thread was interrupted, before the response. */
    CANCELLED("cancelled"),

    /** The upload was not a usable image. */
    INVALID_IMAGE("invalid-image");

    private final String tagValue;

    RejectionReason(String tagValue) {
        this.tagValue = tagValue;
    }

    /** Returns the value of the {@code reason} tag. */
    public String tagValue() {
        return tagValue;
    }
}
