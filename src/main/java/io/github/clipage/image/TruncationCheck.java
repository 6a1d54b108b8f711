package io.github.clipage.image;

import io.github.clipage.image.InvalidImageException.Reason;
import java.util.List;
import java.util.Locale;

/**
 * Rejects truncated files that ImageIO decodes without an exception, filling the missing part with grey.
 * Pillow 9.4 raises "image file is truncated" for these, even for a JPEG that lacks only its final EOI
 * marker, so the service rejects them too.
 */
final class TruncationCheck {

    private TruncationCheck() {
    }

    /** Throws {@link Reason#CORRUPT} when a reader warning shows that data is missing. */
    static void check(ImageFormat format, List<String> warnings) {
        for (String warning : warnings) {
            String lowerCase = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
            // Observed with TwelveMonkeys 3.12: "Truncated File - Missing EOI marker", and for data cut inside
            // a scan also libjpeg's "Corrupt JPEG data: premature end of data segment".
            if (lowerCase.contains("truncated") || lowerCase.contains("missing eoi")
                    || lowerCase.contains("premature end")) {
                throw truncated(format, warning);
            }
        }
    }

    private static InvalidImageException truncated(ImageFormat format, String detail) {
        return new InvalidImageException(Reason.CORRUPT,
                "The " + format + " image is truncated (" + detail + "); send the complete file.");
    }
}
