package io.github.clipage.image;

import io.github.clipage.image.InvalidImageException.Reason;

/** Size checks on image headers, done before any pixel buffer is allocated. */
final class HeaderCheck {

    private static final int PNG_IHDR_END = 24;

    private HeaderCheck() {
    }

    /**
     * Checks the size written in headers that ImageIO would reject with a generic error (a PNG with a zero
     * width fails inside the JDK reader), so the caller gets {@link Reason#ZERO_SIZE} instead.
     */
    static void check(ImageFormat format, byte[] bytes, long maxPixels) {
        if (format == ImageFormat.WEBP) {
            checkRiffLength(bytes);
            return;
        }
        if (format != ImageFormat.PNG) {
            return;
        }
        if (bytes.length < PNG_IHDR_END
                || bytes[12] != 'I' || bytes[13] != 'H' || bytes[14] != 'D' || bytes[15] != 'R') {
            throw new InvalidImageException(Reason.CORRUPT, "The PNG image has no IHDR header chunk.");
        }
        long width = readUnsignedInt(bytes, 16);
        long height = readUnsignedInt(bytes, 20);
        checkSize(format, width, height, maxPixels);
    }

    /**
     * Rejects a WebP file shorter than its RIFF header declares. TwelveMonkeys 3.12's lossless decoder reads
     * a truncated stream as if the missing bits were there and can allocate more than 1 GB doing so (a
     * 26 KB fixture cut at 73 bytes did), so the check comes before decoding. libwebp, which Pillow uses,
     * rejects such files too.
     */
    private static void checkRiffLength(byte[] bytes) {
        long riffLength = readUnsignedIntLittleEndian(bytes, 4);
        if (riffLength + 8 > bytes.length) {
            throw new InvalidImageException(Reason.CORRUPT, "The WEBP image is truncated: its header declares "
                    + (riffLength + 8) + " bytes, but only " + bytes.length + " arrived; send the complete file.");
        }
    }

    /** Rejects a zero width or height, then more than {@code maxPixels} pixels. */
    static void checkSize(ImageFormat format, long width, long height, long maxPixels) {
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException(Reason.ZERO_SIZE,
                    "The " + format + " header declares a size of " + width + " x " + height
                            + " pixels; width and height must be at least 1.");
        }
        // Both factors are below 2^32, so the product fits in a long.
        if (width * height > maxPixels) {
            throw new InvalidImageException(Reason.TOO_MANY_PIXELS,
                    "The " + format + " image is " + width + " x " + height + " = " + width * height
                            + " pixels, more than the maximum of " + maxPixels + "; send a smaller image.");
        }
    }

    private static long readUnsignedIntLittleEndian(byte[] bytes, int offset) {
        return ((long) (bytes[offset + 3] & 0xFF) << 24)
                | ((bytes[offset + 2] & 0xFF) << 16)
                | ((bytes[offset + 1] & 0xFF) << 8)
                | (bytes[offset] & 0xFF);
    }

    private static long readUnsignedInt(byte[] bytes, int offset) {
        return ((long) (bytes[offset] & 0xFF) << 24)
                | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8)
                | (bytes[offset + 3] & 0xFF);
    }
}
