package io.github.clipage.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The kind of an IP address, as far as fetching an image from it is concerned: only {@link #PUBLIC}
 * addresses are reachable from the internet at large, every other kind can reach the service's own host or
 * network.
 */
public enum ImageUrlAddressKind {
    /** A globally routed address. */
    PUBLIC,
    /** 127.0.0.0/8 or ::1. */
    LOOPBACK,
    /** 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, or the deprecated IPv6 site-local fec0::/10. */
    PRIVATE,
    /** 100.64.0.0/10, the carrier-grade NAT range of RFC 6598. */
    SHARED,
    /** 169.254.0.0/16 or fe80::/10, which includes cloud metadata services at 169.254.169.254. */
    LINK_LOCAL,
    /** fc00::/7, the IPv6 unique local addresses. */
    UNIQUE_LOCAL,
    /** 224.0.0.0/4 or ff00::/8. */
    MULTICAST,
    /** 0.0.0.0/8 or ::, which many systems route to the local host. */
    UNSPECIFIED,
    /** 240.0.0.0/4, including the broadcast address 255.255.255.255. */
    RESERVED;

    /**
     * Classifies an address. IPv6 forms that embed an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d},
     * IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96} and 6to4 {@code 2002::/16}) get the kind
     * of the embedded IPv4 address.
     */
    public static ImageUrlAddressKind of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(bytes, 0);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(bytes);
        }
        throw new IllegalArgumentException("Unknown address type: " + address);
    }

    /** Returns whether this kind is {@link #PUBLIC}. */
    public boolean isPublic() {
        return this == PUBLIC;
    }

    private static ImageUrlAddressKind ofIpv4(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xFF;
        int b = bytes[offset + 1] & 0xFF;
        if (a == 0) {
            return UNSPECIFIED;
        }
        if (a == 127) {
            return LOOPBACK;
        }
        if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)) {
            return PRIVATE;
        }
        if (a == 100 && b >= 64 && b <= 127) {
            return SHARED;
        }
        if (a == 169 && b == 254) {
            return LINK_LOCAL;
        }
        if (a >= 224 && a <= 239) {
            return MULTICAST;
        }
        if (a >= 240) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static ImageUrlAddressKind ofIpv6(byte[] bytes) {
        if (isZero(bytes, 0, 10)) {
            boolean mapped = (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF;
            boolean compatible = bytes[10] == 0 && bytes[11] == 0;
            if (compatible && isZero(bytes, 12, 15)) {
                // ::1 is IPv6's loopback; :: and the other ::0.0.0.x addresses map into 0.0.0.0/8.
                return bytes[15] == 1 ? LOOPBACK : UNSPECIFIED;
            }
            if (mapped || compatible) {
                return ofIpv4(bytes, 12);
            }
        }
        int first = bytes[0] & 0xFF;
        int second = bytes[1] & 0xFF;
        if (first == 0x00 && second == 0x64 && (bytes[2] & 0xFF) == 0xFF && (bytes[3] & 0xFF) == 0x9B
                && isZero(bytes, 4, 12)) {
            return ofIpv4(bytes, 12);
        }
        if (first == 0x20 && second == 0x02) {
            return ofIpv4(bytes, 2);
        }
        if (first == 0xFF) {
            return MULTICAST;
        }
        if (first == 0xFE && (second & 0xC0) == 0x80) {
            return LINK_LOCAL;
        }
        if (first == 0xFE && (second & 0xC0) == 0xC0) {
            return PRIVATE;
        }
        if ((first & 0xFE) == 0xFC) {
            return UNIQUE_LOCAL;
        }
        return PUBLIC;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
