package io.github.clipage.image;

import java.util.Optional;

/** Image formats the decoder recognises from their leading bytes (magic numbers). */
public enum ImageFormat {
    /** JPEG/JFIF/Exif: starts with SOI followed by a marker, FF D8 FF. */
    JPEG("jpeg"),
    /** PNG: the eight-byte signature 89 'PNG' 0D 0A 1A 0A. */
    PNG("png"),
    /** GIF87a or GIF89a. */
    GIF("gif"),
    /** Windows bitmap: 'BM'. */
    BMP("bmp"),
    /** TIFF, little-endian 'II*\0' or big-endian 'MM\0*'. */
    TIFF("tiff"),
    /** WebP: a RIFF container whose form type is 'WEBP'. */
    // Limitation: lossy WebP pixels come from TwelveMonkeys' own VP8 decoder and differ from libwebp's (Pillow).
    WEBP("webp");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** Returns the format name under which ImageIO registers readers for this format. */
    public String imageIoName() {
        return imageIoName;
    }

    /** Detects the format from the first bytes, ignoring any file name or declared content type. */
    public static Optional<ImageFormat> detect(byte[] bytes) {
        if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(bytes, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (startsWith(bytes, 0, 'B', 'M') && bytes.length >= 26) {
            return Optional.of(BMP);
        }
        if (startsWith(bytes, 0, 'I', 'I', 0x2A, 0x00) || startsWith(bytes, 0, 'M', 'M', 0x00, 0x2A)) {
            return Optional.of(TIFF);
        }
        if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... magic) {
        if (bytes.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
