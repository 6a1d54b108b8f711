package io.github.clipage.image;

import io.github.clipage.image.DecodedImage.Mode;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts a decoded ImageIO image to packed pixels in the mode Pillow 9.4 opens the same file in, with the
 * same values.
 *
 * <p>Samples are read from the raster, never through {@link BufferedImage#getRGB}, which would apply the
 * colour space's gamma to grey images. Pillow keeps the high byte of 16-bit colour and grey-with-alpha
 * samples. It opens plain 16-bit grey as a 32-bit integer image whose conversion to RGB clamps values above
 * 255, which turns most such photographs white. This class deliberately keeps the high byte there too.
 */
final class PillowModeConversion {

    private PillowModeConversion() {
    }

    /**
     * Converts the image's pixels.
     *
     * @param format the file's format, which decides where Pillow reads a grey palette as mode L
     * @param bytes the file, for the PNG header fields that ImageIO's colour model hides
     */
    static DecodedImage convert(BufferedImage image, ImageFormat format, byte[] bytes) {
        ColorModel colorModel = image.getColorModel();
        Raster raster = image.getRaster();
        int width = raster.getWidth();
        int height = raster.getHeight();
        if (colorModel instanceof IndexColorModel palette) {
            Mode mode = opensAsGrey(palette, format, bytes) ? Mode.RGB : Mode.PALETTE;
            return new DecodedImage(width, height, fromPalette(raster, palette), mode);
        }
        if (colorModel instanceof ComponentColorModel && !colorModel.isAlphaPremultiplied()) {
            int colorSpaceType = colorModel.getColorSpace().getType();
            int bits = colorModel.getComponentSize(0);
            boolean hasAlpha = colorModel.hasAlpha();
            Mode mode = hasAlpha ? Mode.RGBA : Mode.RGB;
            if (colorSpaceType == ColorSpace.TYPE_RGB && (bits == 8 || bits == 16)) {
                return new DecodedImage(width, height, fromRgbSamples(raster, bits, hasAlpha), mode);
            }
            if (colorSpaceType == ColorSpace.TYPE_GRAY && (bits == 8 || bits == 16)) {
                return new DecodedImage(width, height, fromGraySamples(raster, bits, hasAlpha), mode);
            }
            if (colorSpaceType == ColorSpace.TYPE_CMYK && bits == 8 && !hasAlpha) {
                return new DecodedImage(width, height, fromInvertedCmykSamples(raster), Mode.CMYK);
            }
        }
        // Limitation: other colour models (packed 16-bit BMP, float TIFF, premultiplied rasters) go through
        // Java's colour conversion, which may differ from Pillow's by more than rounding.
        return fromJavaColorConversion(image);
    }

    /**
     * Tells whether Pillow opens this palette image as grey (mode L), which it resizes with bicubic instead of
     * nearest neighbour. Pillow 9.4 does so for 2- and 4-bit grey PNGs, which ImageIO reads as a palette. It
     * also does so for GIFs and BMPs (more than 2 colours) whose palette entry i is (i, i, i) for every i.
     */
    private static boolean opensAsGrey(IndexColorModel palette, ImageFormat format, byte[] bytes) {
        return switch (format) {
            case PNG -> bytes.length > 25 && bytes[25] == 0 && (bytes[24] == 2 || bytes[24] == 4);
            case GIF -> isIdentityGreyRamp(palette);
            case BMP -> palette.getMapSize() > 2 && isIdentityGreyRamp(palette);
            default -> false;
        };
    }

    private static boolean isIdentityGreyRamp(IndexColorModel palette) {
        for (int i = 0; i < palette.getMapSize(); i++) {
            if (palette.getRed(i) != i || palette.getGreen(i) != i || palette.getBlue(i) != i) {
                return false;
            }
        }
        return true;
    }

    private static int[] fromPalette(Raster raster, IndexColorModel palette) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] pixels = new int[width * height];
        int[] row = new int[width];
        int mapSize = palette.getMapSize();
        for (int y = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                int index = row[x];
                // Pillow pads a short palette with black entries.
                pixels[y * width + x] = index < mapSize ? palette.getRGB(index) & 0xFFFFFF : 0;
            }
        }
        return pixels;
    }

    private static int[] fromRgbSamples(Raster raster, int bits, boolean hasAlpha) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int shift = bits - 8;
        int[] pixels = new int[width * height];
        int[] row = new int[width * bands];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int red = row[x * bands] >> shift;
                int green = row[x * bands + 1] >> shift;
                int blue = row[x * bands + 2] >> shift;
                int alpha = hasAlpha ? row[x * bands + 3] >> shift : 0;
                pixels[y * width + x] = (alpha << 24) | (red << 16) | (green << 8) | blue;
            }
        }
        return pixels;
    }

    private static int[] fromGraySamples(Raster raster, int bits, boolean hasAlpha) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int shift = bits - 8;
        int[] pixels = new int[width * height];
        int[] row = new int[width * bands];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int gray = row[x * bands] >> shift;
                int alpha = hasAlpha ? row[x * bands + 1] >> shift : 0;
                pixels[y * width + x] = (alpha << 24) | (gray << 16) | (gray << 8) | gray;
            }
        }
        return pixels;
    }

    /**
     * Reads CMYK samples as libjpeg returns them for Adobe files, where 255 means no ink, and inverts them
     * into Pillow's convention, where 0 means no ink, as Pillow's "CMYK;I" raw mode does.
     */
    private static int[] fromInvertedCmykSamples(Raster raster) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] pixels = new int[width * height];
        int[] row = new int[width * 4];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int cyan = 255 - row[x * 4];
                int magenta = 255 - row[x * 4 + 1];
                int yellow = 255 - row[x * 4 + 2];
                int black = 255 - row[x * 4 + 3];
                pixels[y * width + x] = (cyan << 24) | (magenta << 16) | (yellow << 8) | black;
            }
        }
        return pixels;
    }

    private static DecodedImage fromJavaColorConversion(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        if (image.getColorModel().hasAlpha()) {
            return new DecodedImage(width, height, pixels, Mode.RGBA);
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        return new DecodedImage(width, height, pixels, Mode.RGB);
    }
}
