package io.github.clipage.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PillowResamplerTest {

    @Test
    void nearestPicksPillowColumnsWhereProductWouldDiffer() {
        // Pillow 9.4 resizing a 64-pixel row to 224 with NEAREST: output 3 reads column 0 and output 220 reads
        // column 62, where (x + 0.5) * 64 / 224 would give 1 and 63.
        int[] row = IntStream.range(0, 64).toArray();

        int[] resized = PillowResampler.resizeNearest(row, 64, 1, 224, 1);

        assertThat(resized[3]).isZero();
        assertThat(resized[10]).isEqualTo(2);
        assertThat(resized[80]).isEqualTo(22);
        assertThat(resized[220]).isEqualTo(62);
        assertThat(resized[223]).isEqualTo(63);
    }

    @Test
    void nearestPicksPillowRowsWhenUpscaling() {
        // Pillow 9.4, 8 rows to 225: output row 112 reads row 3, not the product's 4.
        int[] column = IntStream.range(0, 8).toArray();

        int[] resized = PillowResampler.resizeNearest(column, 1, 8, 1, 225);

        assertThat(resized[112]).isEqualTo(3);
        assertThat(resized[0]).isZero();
        assertThat(resized[224]).isEqualTo(7);
    }

    @Test
    void bicubicResizesAllFourBytes() {
        int[] flat = new int[300 * 200];
        java.util.Arrays.fill(flat, 0x80FF4000);

        int[] resized = PillowResampler.resizeBicubic(flat, 300, 200, 224, 149);

        // The weights sum to one, so each byte of a flat image keeps its value, the top one included.
        assertThat(resized).containsOnly(0x80FF4000);
    }

    @Test
    void premultiplicationRoundTripMatchesPillowFormulas() {
        // MULDIV255(200, 128) = 100 and 255 * 100 / 128 = 199 with integer division, as Pillow 9.4 gives.
        int premultiplied = PillowArithmetic.premultiply(0x80C8C8C8);

        assertThat(premultiplied).isEqualTo(0x80646464);
        assertThat(PillowArithmetic.unpremultiply(premultiplied)).isEqualTo(0x80C7C7C7);
        assertThat(PillowArithmetic.unpremultiply(0x00123456)).isEqualTo(0x00123456);
        assertThat(PillowArithmetic.unpremultiply(0x10FF0000)).isEqualTo(0x10FF0000);
    }
}
