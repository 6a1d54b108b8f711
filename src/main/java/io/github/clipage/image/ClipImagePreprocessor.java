package io.github.clipage.image;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Turns a decoded image into CLIP's {@code pixelValues}, matching OpenAI CLIP's Python preprocessing on
 * Pillow 9.4 and torchvision 0.14: {@code Resize(size, BICUBIC)} and {@code CenterCrop(size)} in the mode the
 * image was opened in, then {@code convert("RGB")}, {@code ToTensor()} and {@code Normalize(mean, std)}.
 *
 * <p>The 8-bit resized, cropped and converted pixels equal Pillow's exactly for the same decoded pixels, and
 * the float conversion uses the same float32 operations as torchvision, so the tensor is bit-identical.
 */
public final class ClipImagePreprocessor {

    private static final int CHANNELS = 3;

    /**
     * How many times {@code imageSize * imageSize} pixels an upscaled image may have after the resize. A very
     * thin strip would otherwise grow without bound, since only its shorter side is fixed: a 1 x 40000 image
     * would become 224 x 8960000.
     */
    static final int MAX_RESIZED_AREA_FACTOR = 100;

    private final int imageSize;
    private final float[] mean;
    private final float[] std;

    /**
     * Creates a preprocessor for square {@code imageSize} inputs with per-channel (R, G, B) mean and std.
     *
     * @throws IllegalArgumentException if the size is not positive, an array does not have three entries or a
     *     std entry is not positive
     */
    public ClipImagePreprocessor(int imageSize, float[] mean, float[] std) {
        if (imageSize <= 0) {
            throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
        }
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != CHANNELS || std.length != CHANNELS) {
            throw new IllegalArgumentException(
                    "mean and std need one value per RGB channel, got " + mean.length + " and " + std.length);
        }
        for (float value : std) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("std entries must be positive, got " + value);
            }
        }
        this.imageSize = imageSize;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Returns the side length of the square model input. */
    public int imageSize() {
        return imageSize;
    }

    /**
     * Resizes and centre crops an image in its own mode, converts it to RGB and normalises it into a float32
     * array of shape [3, size, size] (CHW).
     */
    public float[] toPixelValues(DecodedImage image) {
        byte[] chw = toCroppedChw(image);

        int planeSize = imageSize * imageSize;
        float[] pixelValues = new float[chw.length];
        for (int channel = 0; channel < CHANNELS; channel++) {
            for (int i = 0; i < planeSize; i++) {
                int index = channel * planeSize + i;
                pixelValues[index] = normalize(chw[index] & 0xFF, channel);
            }
        }
        return pixelValues;
    }

    /**
     * Resizes, centre crops and normalises an RGB image like {@link #toPixelValues(DecodedImage)}; any alpha
     * is dropped before the resize, so images with transparency should go through {@link DecodedImage}.
     */
    public float[] toPixelValues(BufferedImage rgb) {
        return toPixelValues(DecodedImage.ofRgb(rgb));
    }

    /** Applies ToTensor's division by 255 and Normalize, in float32 and in torchvision's order. */
    float normalize(int value, int channel) {
        float scaled = value / 255f;
        return (scaled - mean[channel]) / std[channel];
    }

    /** Resizes and centre crops to 8-bit RGB values in CHW order, the tensor before ToTensor and Normalize. */
    byte[] toCroppedChw(DecodedImage image) {
        Objects.requireNonNull(image, "image");
        int[] resizedSize = resizedSize(image.width(), image.height(), imageSize);
        int resizedWidth = resizedSize[0];
        int resizedHeight = resizedSize[1];
        checkResizedArea(image, resizedWidth, resizedHeight);
        int[] resized = resize(image, resizedWidth, resizedHeight);

        // Resize makes the shorter side equal to imageSize, so the crop never needs CenterCrop's padding.
        int left = cropOrigin(resizedWidth, imageSize);
        int top = cropOrigin(resizedHeight, imageSize);
        int planeSize = imageSize * imageSize;
        byte[] chw = new byte[CHANNELS * planeSize];
        for (int y = 0; y < imageSize; y++) {
            for (int x = 0; x < imageSize; x++) {
                int pixel = DecodedImage.toRgb(resized[(top + y) * resizedWidth + left + x], image.mode());
                int offset = y * imageSize + x;
                chw[offset] = (byte) (pixel >> 16);
                chw[planeSize + offset] = (byte) (pixel >> 8);
                chw[2 * planeSize + offset] = (byte) pixel;
            }
        }
        return chw;
    }

    /**
     * Rejects a resize that would need more pixels than the image itself and more than
     * {@link #MAX_RESIZED_AREA_FACTOR} model inputs, which only extreme aspect ratios reach.
     */
    private void checkResizedArea(DecodedImage image, int resizedWidth, int resizedHeight) {
        long resizedPixels = (long) resizedWidth * resizedHeight;
        long sourcePixels = (long) image.width() * image.height();
        long maxPixels = Math.max(sourcePixels, (long) MAX_RESIZED_AREA_FACTOR * imageSize * imageSize);
        if (resizedWidth <= 0 || resizedHeight <= 0 || resizedPixels > maxPixels) {
            throw new InvalidImageException(InvalidImageException.Reason.TOO_MANY_PIXELS,
                    "The image is " + image.width() + " x " + image.height() + " pixels; scaling its shorter side to "
                            + imageSize + " would make it " + resizedWidth + " x " + resizedHeight
                            + " pixels, more than the maximum of " + maxPixels + "; crop it to a less elongated shape.");
        }
    }

    /** Resizes in the image's own mode, as Pillow 9.4's {@code Image.resize(size, BICUBIC)} does for it. */
    private static int[] resize(DecodedImage image, int outWidth, int outHeight) {
        int width = image.width();
        int height = image.height();
        int[] pixels = image.pixels();
        if (width == outWidth && height == outHeight) {
            // Pillow returns a plain copy here, without the premultiplication round trip.
            return pixels;
        }
        return switch (image.mode()) {
            case RGB, CMYK -> PillowResampler.resizeBicubic(pixels, width, height, outWidth, outHeight);
            case PALETTE -> PillowResampler.resizeNearest(pixels, width, height, outWidth, outHeight);
            case RGBA -> resizePremultiplied(pixels, width, height, outWidth, outHeight);
        };
    }

    private static int[] resizePremultiplied(int[] pixels, int width, int height, int outWidth, int outHeight) {
        int[] premultiplied = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            premultiplied[i] = PillowArithmetic.premultiply(pixels[i]);
        }
        int[] resized = PillowResampler.resizeBicubic(premultiplied, width, height, outWidth, outHeight);
        for (int i = 0; i < resized.length; i++) {
            resized[i] = PillowArithmetic.unpremultiply(resized[i]);
        }
        return resized;
    }

    /**
     * Computes torchvision 0.14's {@code Resize(size)} output as {width, height}: the shorter side becomes
     * {@code size} and the longer side {@code int(size * long / short)}, truncated as Python's int() does.
     */
    static int[] resizedSize(int width, int height, int size) {
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        // The cast saturates at Integer.MAX_VALUE for absurd aspect ratios, which checkResizedArea rejects.
        int newLong = (int) ((double) size * longSide / shortSide);
        return width <= height ? new int[] {size, newLong} : new int[] {newLong, size};
    }

    /**
     * Computes torchvision's {@code CenterCrop} origin {@code int(round((length - crop) / 2.0))}; Python's
     * round() goes half to even, which {@link Math#rint} matches and {@link Math#round} would not.
     */
    static int cropOrigin(int length, int crop) {
        return (int) Math.rint((length - crop) / 2.0);
    }
}
