package io.github.clipage.api;

import java.net.InetAddress;

/**
 * Decides which resolved IP addresses the service may connect to when it fetches an image by URL. Every
 * address a host name resolves to, on every hop, passes this check before any connection is made.
 */
@FunctionalInterface
public interface ImageUrlAddressPolicy {

    /** Returns whether the service may connect to this address. */
    boolean permits(InetAddress address);

    /** Returns the policy the service runs with: public addresses only. */
    static ImageUrlAddressPolicy publicOnly() {
        return address -> ImageUrlAddressKind.of(address).isPublic();
    }
}
