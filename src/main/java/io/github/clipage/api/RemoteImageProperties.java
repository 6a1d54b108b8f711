package io.github.clipage.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Fetching images given as http or https URLs in {@code POST /predictions} ({@code age.remote-images.*}).
 *
 * @param enabled whether URLs are fetched at all; when false they are rejected with a message that explains how
 *     to enable them
 * @param allowedHosts the host names that may be fetched from, exact or as {@code *.example.com} patterns; the
 *     host of every redirect target must be on the list too
 * @param maxBytes the largest image body read; reading stops as soon as the body passes it
 * @param timeout the time allowed for the whole fetch, redirects included, and for each connection attempt
 * @param maxRedirects how many redirects are followed before the fetch fails
 */
@Validated
@ConfigurationProperties("age.remote-images")
public record RemoteImageProperties(
        boolean enabled,
        List<String> allowedHosts,
        @NotNull DataSize maxBytes,
        @NotNull Duration timeout,
        @Min(0) @Max(20) int maxRedirects) {

    /** Checks the values that bean validation cannot express. */
    public RemoteImageProperties {
        if (maxBytes != null && maxBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("age.remote-images.max-bytes must be positive, got " + maxBytes);
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("age.remote-images.timeout must be positive, got " + timeout);
        }
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        ImageUrlAllowList.of(allowedHosts);
    }
}
