package io.github.clipage.image;

/**
 * Bicubic resizing of packed 8-bit RGB pixels that reproduces Pillow 9.4's {@code Image.resize(size, BICUBIC)}
 * bit for bit.
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
     * Resizes packed 0xRRGGBB pixels (row-major, {@code width * height}) to {@code outWidth x outHeight}.
     *
     * @return a new array of {@code outWidth * outHeight} packed pixels; a copy when the size is unchanged
     */
    static int[] resizeBicubic(int[] pixels, int width, int height, int outWidth, int outHeight) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(
                    "pixel array has " + pixels.length + " entries, expected " + width + " x " + height);
        }
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outWidth + " x " + outHeight);
        }

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

    private static int[] resampleHorizontal(int[] in, int width, int height, Coefficients coefficients) {
        int outWidth = coefficients.outSize;
        int[] out = new int[outWidth * height];
        for (int y = 0; y < height; y++) {
            int rowStart = y * width;
            for (int x = 0; x < outWidth; x++) {
                int first = coefficients.first[x];
                int count = coefficients.count[x];
                int weightStart = x * coefficients.stride;
                int red = 1 << (PRECISION_BITS - 1);
                int green = red;
                int blue = red;
                for (int i = 0; i < count; i++) {
                    int pixel = in[rowStart + first + i];
                    int weight = coefficients.weights[weightStart + i];
                    red += ((pixel >> 16) & 0xFF) * weight;
                    green += ((pixel >> 8) & 0xFF) * weight;
                    blue += (pixel & 0xFF) * weight;
                }
                out[y * outWidth + x] = pack(red, green, blue);
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
                int red = 1 << (PRECISION_BITS - 1);
                int green = red;
                int blue = red;
                for (int i = 0; i < count; i++) {
                    int pixel = in[(first + i) * width + x];
                    int weight = coefficients.weights[weightStart + i];
                    red += ((pixel >> 16) & 0xFF) * weight;
                    green += ((pixel >> 8) & 0xFF) * weight;
                    blue += (pixel & 0xFF) * weight;
                }
                out[y * width + x] = pack(red, green, blue);
            }
        }
        return out;
    }

    private static int pack(int red, int green, int blue) {
        return (clip8(red) << 16) | (clip8(green) << 8) | clip8(blue);
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
