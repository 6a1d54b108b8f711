package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classification of IP literals; none of these addresses is contacted. */
class ImageUrlAddressKindTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "8.8.8.8, PUBLIC",
        "1.1.1.1, PUBLIC",
        "172.15.255.255, PUBLIC",
        "172.32.0.0, PUBLIC",
        "100.63.255.255, PUBLIC",
        "100.128.0.0, PUBLIC",
        "169.253.0.1, PUBLIC",
        "223.255.255.255, PUBLIC",
        "127.0.0.1, LOOPBACK",
        "127.255.255.254, LOOPBACK",
        "10.0.0.1, PRIVATE",
        "10.255.255.255, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "100.64.0.1, SHARED",
        "100.127.255.255, SHARED",
        "169.254.169.254, LINK_LOCAL",
        "169.254.0.1, LINK_LOCAL",
        "224.0.0.1, MULTICAST",
        "239.255.255.250, MULTICAST",
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "240.0.0.1, RESERVED",
        "255.255.255.255, RESERVED",
        "2001:4860:4860::8888, PUBLIC",
        "2606:4700::1111, PUBLIC",
        "::1, LOOPBACK",
        "::, UNSPECIFIED",
        "fe80::1, LINK_LOCAL",
        "febf:ffff::1, LINK_LOCAL",
        "fec0::1, PRIVATE",
        "fc00::1, UNIQUE_LOCAL",
        "fd12:3456:789a::1, UNIQUE_LOCAL",
        "ff02::1, MULTICAST",
        "::ffff:127.0.0.1, LOOPBACK",
        "::ffff:10.1.2.3, PRIVATE",
        "::ffff:169.254.169.254, LINK_LOCAL",
        "::ffff:8.8.8.8, PUBLIC",
        "::127.0.0.1, LOOPBACK",
        "::192.168.0.1, PRIVATE",
        "64:ff9b::7f00:1, LOOPBACK",
        "64:ff9b::a9fe:a9fe, LINK_LOCAL",
        "64:ff9b::808:808, PUBLIC",
        "2002:7f00:1::, LOOPBACK",
        "2002:c0a8:101::1, PRIVATE",
        "2002:808:808::1, PUBLIC",
    })
    void addressIsClassified(String literal, ImageUrlAddressKind expected) throws UnknownHostException {
        assertThat(ImageUrlAddressKind.of(InetAddress.getByName(literal))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} stays IPv6 and is {1}")
    @CsvSource({
        "::ffff:127.0.0.1, LOOPBACK",
        "::ffff:192.168.0.1, PRIVATE",
        "::ffff:100.64.0.1, SHARED",
    })
    void mappedAddressKeptAsIpv6IsClassifiedByItsIpv4(String literal, ImageUrlAddressKind expected)
            throws UnknownHostException {
        // InetAddress.getByName turns ::ffff:a.b.c.d into an Inet4Address; build the IPv6 form explicitly.
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        System.arraycopy(InetAddress.getByName(literal).getAddress(), 0, bytes, 12, 4);
        InetAddress mapped = java.net.Inet6Address.getByAddress(null, bytes, -1);

        assertThat(mapped).isInstanceOf(java.net.Inet6Address.class);
        assertThat(ImageUrlAddressKind.of(mapped)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"8.8.8.8, true", "127.0.0.1, false", "::1, false", "10.0.0.1, false", "2001:4860:4860::8888, true"})
    void publicOnlyPolicyPermitsPublicAddressesOnly(String literal, boolean permitted) throws UnknownHostException {
        assertThat(ImageUrlAddressPolicy.publicOnly().permits(InetAddress.getByName(literal))).isEqualTo(permitted);
    }
}
