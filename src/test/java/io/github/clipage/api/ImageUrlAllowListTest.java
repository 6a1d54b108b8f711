package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Host matching of the allow-list for images by URL. */
class ImageUrlAllowListTest {

    private final ImageUrlAllowList allowList =
            ImageUrlAllowList.of(List.of("images.example.com", "*.cdn.example.org", "Photos.Example.NET.", "203.0.113.7"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "images.example.com, true",
        "IMAGES.EXAMPLE.COM, true",
        "images.example.com., true",
        "photos.example.net, true",
        "a.cdn.example.org, true",
        "b.a.cdn.example.org, true",
        "cdn.example.org, false",
        "evilcdn.example.org, false",
        "a.cdn.example.org.evil.com, false",
        "example.com, false",
        "other.example.com, false",
        "images.example.com.evil.com, false",
        "203.0.113.7, true",
        "203.0.113.8, false",
    })
    void hostIsMatched(String host, boolean allowed) {
        assertThat(allowList.allows(host)).isEqualTo(allowed);
    }

    @Test
    void missingHostIsNotAllowed() {
        assertThat(allowList.allows(null)).isFalse();
        assertThat(allowList.allows("")).isFalse();
    }

    @Test
    void emptyListAllowsNothing() {
        ImageUrlAllowList empty = ImageUrlAllowList.of(List.of());

        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.allows("images.example.com")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.com", "https://images.example.com", "images.example.com:443",
        "images.example.com/path", "*example.com", "ex ample.com", ""})
    void invalidEntryIsRejected(String entry) {
        assertThatThrownBy(() -> ImageUrlAllowList.of(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("age.remote-images.allowed-hosts");
    }
}
