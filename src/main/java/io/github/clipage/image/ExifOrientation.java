package io.github.clipage.image;

/**
 * Reads the Exif orientation (TIFF tag 0x0112 in IFD0 of the APP1 "Exif" segment) of a JPEG and applies it
 * to packed pixels the way Pillow's {@code ImageOps.exif_transpose} does.
 */
final class ExifOrientation {

    /** The orientation for pixels stored upright; also used when a file has no valid tag. */
    static final int NORMAL = 1;

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int MARKER_APP1 = 0xE1;
    private static final int MARKER_SOS = 0xDA;
    private static final int MARKER_EOI = 0xD9;

    private ExifOrientation() {
    }

    /** Returns the orientation (1 to 8) declared in the JPEG's Exif segment, or 1 when absent or malformed. */
    static int read(byte[] jpeg) {
        int offset = 2;
        // Markers before the first scan; the Exif segment must come before image data.
        while (offset + 4 <= jpeg.length && (jpeg[offset] & 0xFF) == 0xFF) {
            int marker = jpeg[offset + 1] & 0xFF;
            if (marker == 0xFF) {
                offset++;
                continue;
            }
            if (marker == MARKER_SOS || marker == MARKER_EOI) {
                return NORMAL;
            }
            int length = readUnsignedShort(jpeg, offset + 2, true);
            int payload = offset + 4;
            int end = offset + 2 + length;
            if (length < 2 || end > jpeg.length) {
                return NORMAL;
            }
            if (marker == MARKER_APP1 && isExifHeader(jpeg, payload, end)) {
                return readOrientation(jpeg, payload + 6, end);
            }
            offset = end;
        }
        return NORMAL;
    }

    private static boolean isExifHeader(byte[] bytes, int offset, int end) {
        return end - offset >= 6
                && bytes[offset] == 'E' && bytes[offset + 1] == 'x' && bytes[offset + 2] == 'i'
                && bytes[offset + 3] == 'f' && bytes[offset + 4] == 0 && bytes[offset + 5] == 0;
    }

    /** Reads tag 0x0112 from IFD0 of the TIFF structure that starts at {@code tiff} and ends before {@code end}. */
    private static int readOrientation(byte[] bytes, int tiff, int end) {
        if (end - tiff < 8) {
            return NORMAL;
        }
        boolean bigEndian;
        if (bytes[tiff] == 'M' && bytes[tiff + 1] == 'M') {
            bigEndian = true;
        } else if (bytes[tiff] == 'I' && bytes[tiff + 1] == 'I') {
            bigEndian = false;
        } else {
            return NORMAL;
        }

        long ifdOffset = readUnsignedInt(bytes, tiff + 4, bigEndian);
        if (ifdOffset < 8 || tiff + ifdOffset + 2 > end) {
            return NORMAL;
        }
        int ifd = (int) (tiff + ifdOffset);
        int entryCount = readUnsignedShort(bytes, ifd, bigEndian);
        for (int i = 0; i < entryCount; i++) {
            int entry = ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (readUnsignedShort(bytes, entry, bigEndian) == ORIENTATION_TAG) {
                int type = readUnsignedShort(bytes, entry + 2, bigEndian);
                int value = readUnsignedShort(bytes, entry + 8, bigEndian);
                return type == TYPE_SHORT && value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    /**
     * Transposes packed pixels so that the image is upright for the given orientation.
     *
     * @return the pixels with their new size, which swaps width and height for orientations 5 to 8
     */
    static Oriented apply(int orientation, int[] pixels, int width, int height) {
        if (orientation < 2 || orientation > 8) {
            return new Oriented(pixels, width, height);
        }
        boolean swapsAxes = orientation >= 5;
        int outWidth = swapsAxes ? height : width;
        int outHeight = swapsAxes ? width : height;
        int[] out = new int[pixels.length];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int sourceX;
                int sourceY;
                switch (orientation) {
                    case 2 -> { // mirrored left to right
                        sourceX = width - 1 - x;
                        sourceY = y;
                    }
                    case 3 -> { // rotated 180 degrees
                        sourceX = width - 1 - x;
                        sourceY = height - 1 - y;
                    }
                    case 4 -> { // mirrored top to bottom
                        sourceX = x;
                        sourceY = height - 1 - y;
                    }
                    case 5 -> { // transposed about the main diagonal
                        sourceX = y;
                        sourceY = x;
                    }
                    case 6 -> { // stored rotated 90 degrees counter-clockwise, so turn clockwise
                        sourceX = y;
                        sourceY = height - 1 - x;
                    }
                    case 7 -> { // transposed about the anti-diagonal
                        sourceX = width - 1 - y;
                        sourceY = height - 1 - x;
                    }
                    default -> { // 8: stored rotated 90 degrees clockwise, so turn counter-clockwise
                        sourceX = width - 1 - y;
                        sourceY = x;
                    }
                }
                out[y * outWidth + x] = pixels[sourceY * width + sourceX];
            }
        }
        return new Oriented(out, outWidth, outHeight);
    }

    /** Packed pixels with their size after orientation. */
    record Oriented(int[] pixels, int width, int height) {
    }

    private static int readUnsignedShort(byte[] bytes, int offset, boolean bigEndian) {
        int first = bytes[offset] & 0xFF;
        int second = bytes[offset + 1] & 0xFF;
        return bigEndian ? (first << 8) | second : (second << 8) | first;
    }

    private static long readUnsignedInt(byte[] bytes, int offset, boolean bigEndian) {
        long high = readUnsignedShort(bytes, bigEndian ? offset : offset + 2, bigEndian);
        long low = readUnsignedShort(bytes, bigEndian ? offset + 2 : offset, bigEndian);
        return (high << 16) | low;
    }
}
