package io.github.clipage.image;

/**
 * Pillow 9.4's 8-bit integer formulas for alpha premultiplication; a Python comparison over every pair of
 * 8-bit values (colour, alpha) found no difference from Pillow.
 */
final class PillowArithmetic {

    private PillowArithmetic() {
    }

    /** Computes {@code round(a * b / 255)} for 8-bit values the way Pillow's MULDIV255 macro does. */
    static int multiplyDivide255(int a, int b) {
        int product = a * b + 128;
        return ((product >> 8) + product) >> 8;
    }

    /** Converts packed 0xAARRGGBB with straight alpha to premultiplied alpha, as Pillow's RGBA to RGBa does. */
    static int premultiply(int pixel) {
        int alpha = pixel >>> 24;
        int red = multiplyDivide255((pixel >> 16) & 0xFF, alpha);
        int green = multiplyDivide255((pixel >> 8) & 0xFF, alpha);
        int blue = multiplyDivide255(pixel & 0xFF, alpha);
        return (alpha << 24) | (red << 16) | (green << 8) | blue;
    }

    /**
     * Converts packed premultiplied 0xAARRGGBB back to straight alpha, as Pillow's RGBa to RGBA does: colour
     * times 255 divided by alpha with integer division, clamped to 255, and left as is when alpha is 0 or 255.
     */
    static int unpremultiply(int pixel) {
        int alpha = pixel >>> 24;
        if (alpha == 0 || alpha == 255) {
            return pixel;
        }
        int red = Math.min(255 * ((pixel >> 16) & 0xFF) / alpha, 255);
        int green = Math.min(255 * ((pixel >> 8) & 0xFF) / alpha, 255);
        int blue = Math.min(255 * (pixel & 0xFF) / alpha, 255);
        return (alpha << 24) | (red << 16) | (green << 8) | blue;
    }
}
