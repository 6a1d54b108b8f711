package io.github.clipage.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Objects;

/**
 * A decoded image in the pixel mode Pillow opens the same file in, before any conversion to RGB.
 *
 * <p>OpenAI CLIP's preprocessing resizes the image in that mode and converts to RGB only after the crop, so
 * the mode decides how the resize works: nearest neighbour for palette images, premultiplied alpha for
 * images with transparency. {@link ClipImagePreprocessor#toPixelValues(DecodedImage)} follows the same order.
 *
 * @param width the width in pixels, at least 1
 * @param height the height in pixels, at least 1
 * @param pixels row-major packed pixels, {@code width * height} of them, laid out as {@link Mode} describes;
 *     callers must not modify the array
 * @param mode how the pixels are packed and resized
 */
public record DecodedImage(int width, int height, int[] pixels, Mode mode) {

    /** Pixel modes, named after Pillow's, with the packing of one {@code int} per pixel. */
    public enum Mode {
        /** Pillow's RGB and L (grey replicated into R, G and B), packed 0xRRGGBB, resized with bicubic. */
        RGB,
        /**
         * Pillow's P with the palette already looked up, packed 0xRRGGBB. Pillow resizes palette images
         * with nearest neighbour whatever filter is asked for, and looking up before or after that gives the
         * same pixels.
         */
        PALETTE,
        /**
         * Pillow's RGBA and LA, straight (not premultiplied) alpha, packed 0xAARRGGBB. Pillow premultiplies
         * before a bicubic resize and divides after it.
         */
        RGBA,
        /** Pillow's CMYK, packed 0xCCMMYYKK with Pillow's values (0 is no ink), resized with bicubic. */
        CMYK
    }

    /** Checks the size against the pixel array. */
    public DecodedImage {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(mode, "mode");
        if (width <= 0 || height <= 0 || (long) width * height != pixels.length) {
            throw new IllegalArgumentException(
                    "a " + width + " x " + height + " image needs that many pixels, got " + pixels.length);
        }
    }

    /** Wraps an image as {@link Mode#RGB}, dropping any alpha, as Pillow's {@code convert("RGB")} does. */
    public static DecodedImage ofRgb(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        return new DecodedImage(width, height, pixels, Mode.RGB);
    }

    /** Converts to a {@link BufferedImage#TYPE_INT_RGB} image with the values of Pillow's {@code convert("RGB")}. */
    public BufferedImage toRgb() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            data[i] = toRgb(pixels[i], mode);
        }
        return image;
    }

    /** Converts one packed pixel of the given mode to 0xRRGGBB as Pillow's {@code convert("RGB")} does. */
    static int toRgb(int pixel, Mode mode) {
        return switch (mode) {
            case RGB, PALETTE, RGBA -> pixel & 0xFFFFFF;
            case CMYK -> cmykToRgb(pixel);
        };
    }

    /**
     * Applies Pillow 9.4's naive CMYK to RGB formula, {@code 255 - k - c * (255 - k) / 255} per channel with
     * Pillow's rounded division, which ignores any ICC profile.
     */
    private static int cmykToRgb(int pixel) {
        int inverseBlack = 255 - (pixel & 0xFF);
        int red = inverseBlack - PillowArithmetic.multiplyDivide255(pixel >>> 24, inverseBlack);
        int green = inverseBlack - PillowArithmetic.multiplyDivide255((pixel >> 16) & 0xFF, inverseBlack);
        int blue = inverseBlack - PillowArithmetic.multiplyDivide255((pixel >> 8) & 0xFF, inverseBlack);
        return (red << 16) | (green << 8) | blue;
    }
}
