package io.github.clipage.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

class FailureTextTest {

    @Test
    void messageIsUsedWhenPresent() {
        assertThat(FailureText.of(new IOException("HTTP 503 from the hub"))).isEqualTo("HTTP 503 from the hub");
    }

    @Test
    void nullMessageGivesClassName() {
        assertThat(FailureText.of(new IOException())).isEqualTo("IOException");
    }

    @Test
    void unresolvedAddressSaysHostNotFound() {
        assertThat(FailureText.of(new UnresolvedAddressException()))
                .isEqualTo("UnresolvedAddressException (host not found)");
    }

    @Test
    void wrapperWithoutMessageShowsCause() {
        // The JDK's HttpClient throws a ConnectException without a message around the real cause.
        ConnectException wrapper = new ConnectException();
        wrapper.initCause(new UnresolvedAddressException());

        assertThat(FailureText.of(wrapper)).isEqualTo("ConnectException: UnresolvedAddressException (host not found)");
    }

    @Test
    void fileSystemFailureKeepsClassName() {
        assertThat(FailureText.of(new AccessDeniedException("/cache/blobs")))
                .isEqualTo("AccessDeniedException: /cache/blobs");
    }

    @Test
    void wrapperWithoutMessageShowsCauseMessage() {
        ConnectException wrapper = new ConnectException();
        wrapper.initCause(new ConnectException("Connection refused"));

        assertThat(FailureText.of(wrapper)).isEqualTo("ConnectException: Connection refused");
    }
}
