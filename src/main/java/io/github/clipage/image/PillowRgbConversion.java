package io.github.clipage.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts a decoded ImageIO image to packed 0xRRGGBB pixels with the values Pillow 9.4's
 * {@code convert("RGB")} gives for the same file.
 *
 * <p>Pillow drops alpha instead of compositing it, replicates grey into the three channels and looks
 * palette indices up. For 16-bit PNGs it keeps the high byte of colour and grey-with-alpha samples, but
 * opens plain 16-bit grey as a 32-bit integer image whose conversion clamps values above 255 to 255.
 * Samples are therefore read from the raster, never through {@link BufferedImage#getRGB}, which would
 * apply the colour space's gamma to grey images.
 */
final class PillowRgbConversion {

    private PillowRgbConversion() {
    }

    /** Returns the image's pixels as packed 0xRRGGBB, row-major. */
    static int[] toPackedRgb(BufferedImage image) {
        ColorModel colorModel = image.getColorModel();
        if (colorModel instanceof IndexColorModel palette) {
            return fromPalette(image.getRaster(), palette);
        }
        if (colorModel instanceof ComponentColorModel && !colorModel.isAlphaPremultiplied()) {
            int colorSpaceType = colorModel.getColorSpace().getType();
            int bits = colorModel.getComponentSize(0);
            if (colorSpaceType == ColorSpace.TYPE_RGB && (bits == 8 || bits == 16)) {
                return fromRgbSamples(image.getRaster(), bits);
            }
            if (colorSpaceType == ColorSpace.TYPE_GRAY && (bits == 8 || bits == 16)) {
                return fromGraySamples(image.getRaster(), bits, colorModel.hasAlpha());
            }
        }
        // Limitation: other colour models (CMYK/YCCK JPEG, packed 16-bit BMP, float TIFF) go through Java's
        // colour conversion, which may differ from Pillow's by more than rounding.
        return fromJavaColorConversion(image);
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

    private static int[] fromRgbSamples(Raster raster, int bits) {
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
                pixels[y * width + x] = (red << 16) | (green << 8) | blue;
            }
        }
        return pixels;
    }

    private static int[] fromGraySamples(Raster raster, int bits, boolean hasAlpha) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int[] pixels = new int[width * height];
        int[] row = new int[width * bands];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int sample = row[x * bands];
                int gray;
                if (bits == 8) {
                    gray = sample;
                } else if (hasAlpha) {
                    gray = sample >> 8;
                } else {
                    gray = Math.min(sample, 255);
                }
                pixels[y * width + x] = (gray << 16) | (gray << 8) | gray;
            }
        }
        return pixels;
    }

    private static int[] fromJavaColorConversion(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        return pixels;
    }
}
