package io.github.clipage.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClipImagePreprocessorTest {

    private static final int IMAGE_SIZE = 224;
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(IMAGE_SIZE, CLIP_MEAN, CLIP_STD);
    private final ImageDecoder decoder = new ImageDecoder(40_000_000L, true);

    /** Fixtures with a Pillow tensor; the orientation fixtures are checked by their decoded pixels only. */
    static List<Fixtures.Reference> tensorReferences() {
        return Fixtures.references().stream().filter(r -> !r.fixture().startsWith("exif")).toList();
    }

    static List<Fixtures.Reference> exactTensorReferences() {
        return tensorReferences().stream().filter(r -> !r.fixture().equals(Fixtures.LOSSY_WEBP)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactTensorReferences")
    void resizedCroppedAndConvertedPixelsEqualPillow(Fixtures.Reference reference) {
        DecodedImage decoded = decoder.decode(Fixtures.bytes(reference.fixture()));
        byte[] expected = Fixtures.gunzip("reference/" + reference.fixture() + ".chw.gz");

        byte[] actual = preprocessor.toCroppedChw(decoded);

        assertThat(actual).hasSize(3 * IMAGE_SIZE * IMAGE_SIZE);
        assertThat(maxDifference(actual, expected)).as("max |Java - Pillow| over all values").isZero();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void lossyWebpStaysWithinMeasuredBound() {
        DecodedImage decoded = decoder.decode(Fixtures.bytes(Fixtures.LOSSY_WEBP));
        byte[] expected = Fixtures.gunzip("reference/" + Fixtures.LOSSY_WEBP + ".chw.gz");

        byte[] actual = preprocessor.toCroppedChw(decoded);

        // TwelveMonkeys 3.12 decodes lossy VP8 with its own Java code, not libwebp 1.2.4 as Pillow does.
        // Measured on this fixture: max 52, mean 1.83; the bounds leave a little room above that.
        assertThat(maxDifference(actual, expected)).isLessThanOrEqualTo(56);
        assertThat(meanDifference(actual, expected)).isLessThan(2.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tensorReferences")
    void resizedSizeAndCropOriginEqualTorchvision(Fixtures.Reference reference) {
        int[] resized = ClipImagePreprocessor.resizedSize(reference.width(), reference.height(), IMAGE_SIZE);

        assertThat(resized).containsExactly(reference.resizedWidth(), reference.resizedHeight());
        assertThat(ClipImagePreprocessor.cropOrigin(resized[0], IMAGE_SIZE)).isEqualTo(reference.cropLeft());
        assertThat(ClipImagePreprocessor.cropOrigin(resized[1], IMAGE_SIZE)).isEqualTo(reference.cropTop());
    }

    @Test
    void cropOriginRoundsHalfToEvenLikePython() {
        assertThat(ClipImagePreprocessor.cropOrigin(229, 224)).isEqualTo(2);
        assertThat(ClipImagePreprocessor.cropOrigin(231, 224)).isEqualTo(4);
        assertThat(ClipImagePreprocessor.cropOrigin(225, 224)).isZero();
        assertThat(ClipImagePreprocessor.cropOrigin(335, 224)).isEqualTo(56);
    }

    @Test
    void normalizationIsBitIdenticalToTorchvision() {
        ByteBuffer table = ByteBuffer.wrap(Fixtures.bytes("reference/normalize_table.f32"))
                .order(ByteOrder.LITTLE_ENDIAN);

        for (int channel = 0; channel < 3; channel++) {
            for (int value = 0; value < 256; value++) {
                float expected = table.getFloat();
                assertThat(Float.floatToIntBits(preprocessor.normalize(value, channel)))
                        .as("channel %d value %d", channel, value)
                        .isEqualTo(Float.floatToIntBits(expected));
            }
        }
    }

    @Test
    void pixelValuesFollowNormalizeFormula() {
        DecodedImage decoded = decoder.decode(Fixtures.bytes("landscape.jpg"));
        byte[] chw = preprocessor.toCroppedChw(decoded);

        float[] pixelValues = preprocessor.toPixelValues(decoded);

        assertThat(pixelValues).hasSize(3 * IMAGE_SIZE * IMAGE_SIZE);
        int planeSize = IMAGE_SIZE * IMAGE_SIZE;
        for (int i = 0; i < pixelValues.length; i++) {
            int channel = i / planeSize;
            float expected = ((chw[i] & 0xFF) / 255f - CLIP_MEAN[channel]) / CLIP_STD[channel];
            assertThat(pixelValues[i]).as("index %d", i).isEqualTo(expected);
        }
    }

    @Test
    void pixelValuesOfPureColoursAreKnownConstants() {
        BufferedImage red = new BufferedImage(300, 250, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < red.getHeight(); y++) {
            for (int x = 0; x < red.getWidth(); x++) {
                red.setRGB(x, y, 0xFF0000);
            }
        }

        float[] pixelValues = preprocessor.toPixelValues(red);

        int planeSize = IMAGE_SIZE * IMAGE_SIZE;
        // The kernel's weights sum to one, so a flat image stays flat through the resize.
        assertThat(pixelValues[0]).isEqualTo((1f - CLIP_MEAN[0]) / CLIP_STD[0]);
        assertThat(pixelValues[planeSize + 123]).isEqualTo((0f - CLIP_MEAN[1]) / CLIP_STD[1]);
        assertThat(pixelValues[3 * planeSize - 1]).isEqualTo((0f - CLIP_MEAN[2]) / CLIP_STD[2]);
    }

    @Test
    void imageOfOtherTypeGivesSamePixelValues() {
        BufferedImage intRgb = decoder.decode(Fixtures.bytes("small.png")).toRgb();
        BufferedImage bgr = new BufferedImage(intRgb.getWidth(), intRgb.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(intRgb, 0, 0, null);

        assertThat(preprocessor.toPixelValues(bgr)).isEqualTo(preprocessor.toPixelValues(intRgb));
    }

    @Test
    void thinStripIsRejectedBeforeResizing() {
        // Scaling 1 x 40000 to a shorter side of 224 would need 224 x 8960000 pixels.
        DecodedImage strip = new DecodedImage(1, 40_000, new int[40_000], DecodedImage.Mode.RGB);

        assertThatThrownBy(() -> preprocessor.toPixelValues(strip))
                .isInstanceOfSatisfying(InvalidImageException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidImageException.Reason.TOO_MANY_PIXELS))
                .hasMessageContaining("224 x 8960000");
    }

    @Test
    void panoramaWithinAreaLimitIsResized() {
        // 100 model inputs' worth: 22400 x 224 after the resize, from a 2000 x 20 strip.
        DecodedImage panorama = new DecodedImage(2000, 20, new int[40_000], DecodedImage.Mode.RGB);

        assertThat(preprocessor.toPixelValues(panorama)).hasSize(3 * IMAGE_SIZE * IMAGE_SIZE);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new ClipImagePreprocessor(0, CLIP_MEAN, CLIP_STD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("imageSize");
        assertThatThrownBy(() -> new ClipImagePreprocessor(IMAGE_SIZE, new float[2], CLIP_STD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RGB channel");
        assertThatThrownBy(() -> new ClipImagePreprocessor(IMAGE_SIZE, CLIP_MEAN, new float[] {1f, 0f, 1f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std");
    }

    private static double meanDifference(byte[] actual, byte[] expected) {
        long sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs((actual[i] & 0xFF) - (expected[i] & 0xFF));
        }
        return (double) sum / actual.length;
    }

    private static int maxDifference(byte[] actual, byte[] expected) {
        int max = 0;
        for (int i = 0; i < Math.min(actual.length, expected.length); i++) {
            max = Math.max(max, Math.abs((actual[i] & 0xFF) - (expected[i] & 0xFF)));
        }
        return max;
    }
}
