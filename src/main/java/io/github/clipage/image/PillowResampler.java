package io.github.clipage.image;

/**
 * Resizing of pixels packed as four 8-bit channels per {@code int} that reproduces Pillow 9.4's
 * {@code Image.resize(size, BICUBIC)} bit for bit, and its nearest-neighbour resize for palette images.
 *
 * <p>Pillow ({@code libImaging/Resample.c}) resizes in two separable passes, horizontal first, each skipped
 * when that dimension does not change. Each output pixel takes the input pixels under a cubic kernel
 * (a = -0.5, support 2) centred on {@code (x + 0.5) * scale}; when shrinking, the kernel is widened by the
 * scale factor, which is what antialiases. The weights are normalised to sum to one, then turned into
 * fixed-point integers with 22 fractional bits, and every pass rounds and clamps its result to 8 bits.
 * Doing the same integer arithmetic here gives the same bytes.
 */
final class PillowResampler {

    /** 32-bit accumulator minus 8 bits for the pixel value and 2 bits of headroom for kernel overshoot. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private static final double BICUBIC_SUPPORT = 2.0;

    private PillowResampler() {
    }

    /**
     * Resizes packed pixels (row-major, {@code width * height}) to {@code outWidth x outHeight}, each of the
     * four bytes of a pixel as its own channel.
     *
     * @return a new array of {@code outWidth * outHeight} packed pixels; a copy when the size is unchanged
     */
    static int[] resizeBicubic(int[] pixels, int width, int height, int outWidth, int outHeight) {
        checkSizes(pixels, width, height, outWidth, outHeight);

        int[] current = pixels;
        int currentWidth = width;
        if (outWidth != width) {
            current = resampleHorizontal(current, width, height, Coefficients.compute(width, outWidth));
            currentWidth = outWidth;
        }
        if (outHeight != height) {
            current = resampleVertical(current, currentWidth, height, Coefficients.compute(height, outHeight));
        }
        return current == pixels ? pixels.clone() : current;
    }

    /**
     * Resizes packed pixels with Pillow's nearest-neighbour rule: output column x reads input column
     * {@code (int) ((x + 0.5) * width / outWidth)}, and the same for rows.
     *
     * @return a new array of {@code outWidth * outHeight} packed pixels
     */
    static int[] resizeNearest(int[] pixels, int width, int height, int outWidth, int outHeight) {
        checkSizes(pixels, width, height, outWidth, outHeight);
        int[] sourceColumns = nearestIndices(width, outWidth);
        int[] sourceRows = nearestIndices(height, outHeight);
        int[] out = new int[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int rowStart = sourceRows[y] * width;
            for (int x = 0; x < outWidth; x++) {
                out[y * outWidth + x] = pixels[rowStart + sourceColumns[x]];
            }
        }
        return out;
    }

    /**
     * Computes the source index of every output index. Pillow's affine transform adds the scale to a double
     * once per step instead of multiplying, and the sum's rounding sometimes picks a different pixel than
     * the product would, so the loop adds too.
     */
    private static int[] nearestIndices(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double position = scale * 0.5;
        int[] indices = new int[outSize];
        for (int i = 0; i < outSize; i++) {
            indices[i] = Math.min((int) position, inSize - 1);
            position += scale;
        }
        return indices;
    }

    private static void checkSizes(int[] pixels, int width, int height, int outWidth, int outHeight) {
        if ((long) width * height != pixels.length) {
            throw new IllegalArgumentException(
                    "pixel array has " + pixels.length + " entries, expected " + width + " x " + height);
        }
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outWidth + " x " + outHeight);
        }
    }

    private static int[] resampleHorizontal(int[] in, int width, int height, Coefficients coefficients) {
        int outWidth = coefficients.outSize;
        int[] out = new int[outWidth * height];
        for (int y = 0; y < height; y++) {
            int rowStart = y * width;
            for (int x = 0; x < outWidth; x++) {
                int first = coefficients.first[x];
                int count = coefficients.count[x];
                int weightStart = x * coefficients.stride;
                int byte3 = 1 << (PRECISION_BITS - 1);
                int byte2 = byte3;
                int byte1 = byte3;
                int byte0 = byte3;
                for (int i = 0; i < count; i++) {
                    int pixel = in[rowStart + first + i];
                    int weight = coefficients.weights[weightStart + i];
                    byte3 += (pixel >>> 24) * weight;
                    byte2 += ((pixel >> 16) & 0xFF) * weight;
                    byte1 += ((pixel >> 8) & 0xFF) * weight;
                    byte0 += (pixel & 0xFF) * weight;
                }
                out[y * outWidth + x] = pack(byte3, byte2, byte1, byte0);
            }
        }
        return out;
    }

    private static int[] resampleVertical(int[] in, int width, int height, Coefficients coefficients) {
        int outHeight = coefficients.outSize;
        int[] out = new int[width * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int first = coefficients.first[y];
            int count = coefficients.count[y];
            int weightStart = y * coefficients.stride;
            for (int x = 0; x < width; x++) {
                int byte3 = 1 << (PRECISION_BITS - 1);
                int byte2 = byte3;
                int byte1 = byte3;
                int byte0 = byte3;
                for (int i = 0; i < count; i++) {
                    int pixel = in[(first + i) * width + x];
                    int weight = coefficients.weights[weightStart + i];
                    byte3 += (pixel >>> 24) * weight;
                    byte2 += ((pixel >> 16) & 0xFF) * weight;
                    byte1 += ((pixel >> 8) & 0xFF) * weight;
                    byte0 += (pixel & 0xFF) * weight;
                }
                out[y * width + x] = pack(byte3, byte2, byte1, byte0);
            }
        }
        return out;
    }

    private static int pack(int byte3, int byte2, int byte1, int byte0) {
        return (clip8(byte3) << 24) | (clip8(byte2) << 16) | (clip8(byte1) << 8) | clip8(byte0);
    }

    /** Drops the fraction with an arithmetic shift (rounding is in the accumulator's start value) and clamps. */
    private static int clip8(int accumulator) {
        int value = accumulator >> PRECISION_BITS;
        return value < 0 ? 0 : Math.min(value, 255);
    }

    /** Keys's cubic convolution kernel with a = -0.5, written in the same operation order as Pillow. */
    static double bicubic(double x) {
        double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Per output index: the first input index, how many inputs it reads and their fixed-point weights. */
    private static final class Coefficients {
        final int outSize;
        final int stride;
        final int[] first;
        final int[] count;
        final int[] weights;

        private Coefficients(int outSize, int stride) {
            this.outSize = outSize;
            this.stride = stride;
            this.first = new int[outSize];
            this.count = new int[outSize];
            this.weights = new int[outSize * stride];
        }

        static Coefficients compute(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = BICUBIC_SUPPORT * filterScale;
            Coefficients coefficients = new Coefficients(outSize, (int) Math.ceil(support) * 2 + 1);
            double[] kernel = new double[coefficients.stride];

            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double inverseFilterScale = 1.0 / filterScale;
                // Pillow rounds the window ends with a truncating cast, so negative values go to zero first.
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;

                double sum = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = bicubic((x + xmin - center + 0.5) * inverseFilterScale);
                    kernel[x] = w;
                    sum += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double normalised = sum != 0.0 ? kernel[x] / sum : kernel[x];
                    coefficients.weights[xx * coefficients.stride + x] = toFixedPoint(normalised);
                }
                coefficients.first[xx] = xmin;
                coefficients.count[xx] = xmax;
            }
            return coefficients;
        }

        /** Rounds half away from zero, as Pillow's normalize_coeffs_8bpc does. */
        private static int toFixedPoint(double weight) {
            double scaled = weight * (1 << PRECISION_BITS);
            return (int) (weight < 0 ? -0.5 + scaled : 0.5 + scaled);
        }
    }
}
