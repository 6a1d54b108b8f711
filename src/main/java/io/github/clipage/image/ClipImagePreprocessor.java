package io.github.clipage.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Objects;

/**
 * Turns an RGB image into CLIP's {@code pixelValues}, matching OpenAI CLIP's Python preprocessing on
 * Pillow 9.4 and torchvision 0.14: {@code Resize(size, BICUBIC)}, {@code CenterCrop(size)}, {@code ToTensor()}
 * and {@code Normalize(mean, std)}.
 *
 * <p>The 8-bit resized and cropped pixels equal Pillow's exactly, and the float conversion uses the same
 * float32 operations as torchvision, so the tensor is bit-identical for the same RGB input.
 */
public final class ClipImagePreprocessor {

    private static final int CHANNELS = 3;

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
     * Resizes, centre crops and normalises an image into a float32 array of shape [3, size, size] (CHW).
     *
     * <p>The image is read as sRGB; {@link ImageDecoder#decode(byte[])} output is already plain 8-bit RGB.
     */
    public float[] toPixelValues(BufferedImage rgb) {
        byte[] chw = toCroppedChw(rgb);

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

    /** Applies ToTensor's division by 255 and Normalize, in float32 and in torchvision's order. */
    float normalize(int value, int channel) {
        float scaled = value / 255f;
        return (scaled - mean[channel]) / std[channel];
    }

    /** Resizes and centre crops to 8-bit values in CHW order, the tensor before ToTensor and Normalize. */
    byte[] toCroppedChw(BufferedImage rgb) {
        Objects.requireNonNull(rgb, "rgb");
        int width = rgb.getWidth();
        int height = rgb.getHeight();

        int[] resizedSize = resizedSize(width, height, imageSize);
        int resizedWidth = resizedSize[0];
        int resizedHeight = resizedSize[1];
        int[] resized = PillowResampler.resizeBicubic(packedRgb(rgb), width, height, resizedWidth, resizedHeight);

        // Resize makes the shorter side equal to imageSize, so the crop never needs CenterCrop's padding.
        int left = cropOrigin(resizedWidth, imageSize);
        int top = cropOrigin(resizedHeight, imageSize);
        int planeSize = imageSize * imageSize;
        byte[] chw = new byte[CHANNELS * planeSize];
        for (int y = 0; y < imageSize; y++) {
            for (int x = 0; x < imageSize; x++) {
                int pixel = resized[(top + y) * resizedWidth + left + x];
                int offset = y * imageSize + x;
                chw[offset] = (byte) (pixel >> 16);
                chw[planeSize + offset] = (byte) (pixel >> 8);
                chw[2 * planeSize + offset] = (byte) pixel;
            }
        }
        return chw;
    }

    /**
     * Computes torchvision 0.14's {@code Resize(size)} output as {width, height}: the shorter side becomes
     * {@code size} and the longer side {@code int(size * long / short)}, truncated as Python's int() does.
     */
    static int[] resizedSize(int width, int height, int size) {
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
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

    private static int[] packedRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB
                && image.getRaster().getDataBuffer() instanceof DataBufferInt buffer
                && buffer.getNumBanks() == 1
                && buffer.getOffset() == 0
                && buffer.getData().length == image.getWidth() * image.getHeight()
                && image.getRaster().getParent() == null) {
            return buffer.getData();
        }
        int[] argb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < argb.length; i++) {
            argb[i] &= 0xFFFFFF;
        }
        return argb;
    }
}
