package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ImageUrlRedactionTest {

    @Test
    void userInfoIsDropped() {
        assertThat(ImageUrlRedaction.redact(URI.create("http://user:pw@127.0.0.1:18099/x")))
                .isEqualTo("http://127.0.0.1:18099/x");
    }

    @Test
    void queryAndFragmentAreDropped() {
        assertThat(ImageUrlRedaction.redact(URI.create("https://images.example.com/a/b.jpg?token=abc&sig=1#part")))
                .isEqualTo("https://images.example.com/a/b.jpg");
    }

    @Test
    void plainUrlIsKept() {
        assertThat(ImageUrlRedaction.redact(URI.create("https://images.example.com/b.jpg")))
                .isEqualTo("https://images.example.com/b.jpg");
    }

    @Test
    void ipv6HostKeepsBrackets() {
        assertThat(ImageUrlRedaction.redact(URI.create("http://u:p@[2001:db8::1]:8080/b.jpg?k=v")))
                .isEqualTo("http://[2001:db8::1]:8080/b.jpg");
    }

    @Test
    void unparsableTextIsRedacted() {
        assertThat(ImageUrlRedaction.redact("http://user:pw@127.0.0.1:18099/a photo.jpg?token=abc"))
                .isEqualTo("http://127.0.0.1:18099/a photo.jpg");
    }

    @Test
    void unparsableAuthorityIsRedacted() {
        assertThat(ImageUrlRedaction.redact("http://us er:p w@host/x")).isEqualTo("http://host/x");
    }

    @Test
    void relativeLocationKeepsPathOnly() {
        assertThat(ImageUrlRedaction.redact("/next.jpg?token=abc")).isEqualTo("/next.jpg");
    }
}
