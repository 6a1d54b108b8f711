package io.github.clipage.image;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and options for decoding uploads ({@code age.image.*}).
 *
 * @param maxPixels the largest width x height accepted, checked from the header before decoding
 * @param applyExifOrientation whether to turn JPEGs upright by their EXIF orientation; the Python
 *     reference does not, so false gives strict parity with it
 * @param maxImagesPerRequest the most {@code image} parts one batch request may carry
 */
@Validated
@ConfigurationProperties("age.image")
public record ImageProperties(@Min(1) long maxPixels, boolean applyExifOrientation,
        @Min(1) @Max(256) int maxImagesPerRequest) {}
