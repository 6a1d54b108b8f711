package io.github.clipage.image;

import java.util.zip.CRC32;

/** Rewrites the width and height that an image file's header declares, leaving the pixel data as it is. */
final class HeaderSizes {

    private HeaderSizes() {
    }

    /**
     * Returns a copy of a PNG, JPEG, GIF or BMP file that declares the given size, or null for other formats
     * and for files whose header is not found.
     */
    static byte[] withSize(byte[] original, int width, int height) {
        byte[] bytes = original.clone();
        return switch (ImageFormat.detect(bytes).orElse(ImageFormat.TIFF)) {
            case PNG -> png(bytes, width, height);
            case JPEG -> jpeg(bytes, width, height);
            case GIF -> gif(bytes, width, height);
            case BMP -> bmp(bytes, width, height);
            default -> null;
        };
    }

    /** Writes IHDR's width and height and its CRC, so the reader cannot reject the chunk by its checksum. */
    private static byte[] png(byte[] bytes, int width, int height) {
        writeBigEndian(bytes, 16, width, 4);
        writeBigEndian(bytes, 20, height, 4);
        CRC32 crc = new CRC32();
        crc.update(bytes, 12, 4 + 13);
        writeBigEndian(bytes, 29, (int) crc.getValue(), 4);
        return bytes;
    }

    /** Writes the size into the first start-of-frame segment (SOF0 to SOF15, except DHT, JPG and DAC). */
    private static byte[] jpeg(byte[] bytes, int width, int height) {
        int offset = 2;
        while (offset + 9 < bytes.length && (bytes[offset] & 0xFF) == 0xFF) {
            int marker = bytes[offset + 1] & 0xFF;
            int length = ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                writeBigEndian(bytes, offset + 5, Math.min(height, 0xFFFF), 2);
                writeBigEndian(bytes, offset + 7, Math.min(width, 0xFFFF), 2);
                return bytes;
            }
            offset += 2 + length;
        }
        return null;
    }

    /** Writes the logical screen size and the first image descriptor's size. */
    private static byte[] gif(byte[] bytes, int width, int height) {
        writeLittleEndian(bytes, 6, Math.min(width, 0xFFFF), 2);
        writeLittleEndian(bytes, 8, Math.min(height, 0xFFFF), 2);
        int flags = bytes[10] & 0xFF;
        int descriptor = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 0x07) + 1) : 0);
        // Skip extension blocks (0x21, label, sub-blocks) up to the image descriptor (0x2C).
        while (descriptor < bytes.length && bytes[descriptor] == 0x21) {
            int block = descriptor + 2;
            while (block < bytes.length && bytes[block] != 0) {
                block += 1 + (bytes[block] & 0xFF);
            }
            descriptor = block + 1;
        }
        if (descriptor + 9 >= bytes.length || bytes[descriptor] != 0x2C) {
            return null;
        }
        writeLittleEndian(bytes, descriptor + 5, Math.min(width, 0xFFFF), 2);
        writeLittleEndian(bytes, descriptor + 7, Math.min(height, 0xFFFF), 2);
        return bytes;
    }

    /** Writes BITMAPINFOHEADER's signed 32-bit width and height. */
    private static byte[] bmp(byte[] bytes, int width, int height) {
        writeLittleEndian(bytes, 18, width, 4);
        writeLittleEndian(bytes, 22, height, 4);
        return bytes;
    }

    private static void writeBigEndian(byte[] bytes, int offset, int value, int length) {
        for (int i = 0; i < length; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * (length - 1 - i)));
        }
    }

    private static void writeLittleEndian(byte[] bytes, int offset, int value, int length) {
        for (int i = 0; i < length; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
