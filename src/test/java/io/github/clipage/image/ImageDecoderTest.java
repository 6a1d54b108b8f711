package io.github.clipage.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clipage.image.InvalidImageException.Reason;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImageDecoderTest {

    private static final long MAX_PIXELS = 40_000_000L;

    private final ImageDecoder decoder = new ImageDecoder(MAX_PIXELS, true);

    static List<Fixtures.Reference> exactReferences() {
        return Fixtures.references().stream().filter(r -> !r.fixture().equals(Fixtures.LOSSY_WEBP)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exactReferences")
    void decodedPixelsEqualPillowConvertRgb(Fixtures.Reference reference) {
        BufferedImage image = decoder.decode(Fixtures.bytes(reference.fixture())).toRgb();

        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(reference.width());
        assertThat(image.getHeight()).isEqualTo(reference.height());
        assertThat(sha256OfRgb(image)).isEqualTo(reference.decodedSha256());
    }

    @Test
    void lossyWebpDecodesToPillowSize() {
        DecodedImage image = decoder.decode(Fixtures.bytes(Fixtures.LOSSY_WEBP));

        assertThat(image.width()).isEqualTo(240);
        assertThat(image.height()).isEqualTo(180);
    }

    @Test
    void orientationSixTurnsImageClockwise() {
        BufferedImage stored = new ImageDecoder(MAX_PIXELS, false).decode(Fixtures.bytes("exif6.jpg")).toRgb();
        BufferedImage upright = decoder.decode(Fixtures.bytes("exif6.jpg")).toRgb();

        assertThat(stored.getWidth()).isEqualTo(320);
        assertThat(stored.getHeight()).isEqualTo(200);
        assertThat(upright.getWidth()).isEqualTo(200);
        assertThat(upright.getHeight()).isEqualTo(320);
        // Clockwise: the stored bottom-left corner becomes the top-left one.
        assertThat(upright.getRGB(0, 0)).isEqualTo(stored.getRGB(0, 199));
        assertThat(upright.getRGB(199, 0)).isEqualTo(stored.getRGB(0, 0));
        assertThat(upright.getRGB(57, 101)).isEqualTo(stored.getRGB(101, 199 - 57));
    }

    @Test
    void orientationThreeTurnsImageHalfway() {
        BufferedImage stored = new ImageDecoder(MAX_PIXELS, false).decode(Fixtures.bytes("exif3.jpg")).toRgb();
        BufferedImage upright = decoder.decode(Fixtures.bytes("exif3.jpg")).toRgb();

        assertThat(upright.getWidth()).isEqualTo(320);
        assertThat(upright.getHeight()).isEqualTo(200);
        assertThat(upright.getRGB(0, 0)).isEqualTo(stored.getRGB(319, 199));
        assertThat(upright.getRGB(57, 101)).isEqualTo(stored.getRGB(319 - 57, 199 - 101));
    }

    @Test
    void orientationIsIgnoredWhenDisabled() {
        BufferedImage plain = new ImageDecoder(MAX_PIXELS, false).decode(Fixtures.bytes("exif6.jpg")).toRgb();
        BufferedImage normal = new ImageDecoder(MAX_PIXELS, false).decode(Fixtures.bytes("exif3.jpg")).toRgb();

        assertThat(plain.getWidth()).isEqualTo(320);
        assertThat(sha256OfRgb(plain)).isEqualTo(sha256OfRgb(normal));
    }

    @Test
    void emptyBytesAreRejectedAsEmpty() {
        assertReason(new byte[0], Reason.EMPTY);
        assertReason(null, Reason.EMPTY);
    }

    @Test
    void textIsRejectedAsUnsupportedFormat() {
        byte[] text = "age,name\n42,Eileen\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.decode(text))
                .isInstanceOfSatisfying(InvalidImageException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT))
                .hasMessageContaining("61 67 65 2C")
                .hasMessageContaining("JPEG, PNG");
    }

    @Test
    void htmlIsRejectedAsUnsupportedFormat() {
        byte[] html = "<!DOCTYPE html><html><body>photo.jpg</body></html>".getBytes(StandardCharsets.UTF_8);

        assertReason(html, Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void truncatedJpegIsRejectedAsCorrupt() {
        byte[] jpeg = Fixtures.bytes("landscape.jpg");

        assertReason(Arrays.copyOf(jpeg, jpeg.length / 2), Reason.CORRUPT);
        assertReason(Arrays.copyOf(jpeg, jpeg.length - 2), Reason.CORRUPT);
        assertReason(Arrays.copyOf(jpeg, 400), Reason.CORRUPT);
    }

    @Test
    void truncatedPngIsRejectedAsCorrupt() {
        byte[] png = Fixtures.bytes("small.png");

        assertReason(Arrays.copyOf(png, png.length / 2), Reason.CORRUPT);
        assertReason(Arrays.copyOf(png, 20), Reason.CORRUPT);
        assertReason(Arrays.copyOf(png, 40), Reason.CORRUPT);
    }

    @Test
    void truncatedGifIsRejectedAsCorrupt() {
        byte[] gif = Fixtures.bytes("animated.gif");

        assertReason(Arrays.copyOf(gif, gif.length / 4), Reason.CORRUPT);
    }

    @Test
    void truncatedWebpIsRejectedBeforeDecoding() {
        byte[] webp = Fixtures.bytes("lossless.webp");

        InvalidImageException e = decodeExpectingFailure(Arrays.copyOf(webp, 73));

        assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).contains("truncated").contains("only 73 arrived");
    }

    @Test
    void zeroWidthPngIsRejectedAsZeroSize() {
        assertReason(pngHeader(0, 100), Reason.ZERO_SIZE);
        assertReason(pngHeader(100, 0), Reason.ZERO_SIZE);
    }

    @Test
    void hugePngHeaderIsRejectedBeforeDecoding() {
        // Decoding 100000 x 100000 RGB would need 30 GB, but the file is only a header and an empty IDAT chunk.
        InvalidImageException e = decodeExpectingFailure(pngHeader(100_000, 100_000));

        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("100000 x 100000").contains(Long.toString(MAX_PIXELS));
    }

    @Test
    void pixelLimitIsInclusiveForJpeg() {
        ImageDecoder small = new ImageDecoder(640L * 427 - 1, true);

        InvalidImageException e = assertThrowsInvalid(() -> small.decode(Fixtures.bytes("landscape.jpg")));

        assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
        assertThat(new ImageDecoder(640L * 427, true).decode(Fixtures.bytes("landscape.jpg")).width())
                .isEqualTo(640);
    }

    @Test
    void formatIsDetectedFromBytesNotName() {
        assertThat(ImageFormat.detect(Fixtures.bytes("landscape.jpg"))).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.detect(Fixtures.bytes("astronaut.png"))).contains(ImageFormat.PNG);
        assertThat(ImageFormat.detect(Fixtures.bytes("animated.gif"))).contains(ImageFormat.GIF);
        assertThat(ImageFormat.detect(Fixtures.bytes("small.bmp"))).contains(ImageFormat.BMP);
        assertThat(ImageFormat.detect(Fixtures.bytes("small.tif"))).contains(ImageFormat.TIFF);
        assertThat(ImageFormat.detect(Fixtures.bytes("lossy.webp"))).contains(ImageFormat.WEBP);
        assertThat(ImageFormat.detect("GIF90a".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void fixturesDecodeInPillowModes() {
        assertThat(decoder.decode(Fixtures.bytes("landscape.jpg")).mode()).isEqualTo(DecodedImage.Mode.RGB);
        assertThat(decoder.decode(Fixtures.bytes("gray.png")).mode()).isEqualTo(DecodedImage.Mode.RGB);
        assertThat(decoder.decode(Fixtures.bytes("palette.png")).mode()).isEqualTo(DecodedImage.Mode.PALETTE);
        assertThat(decoder.decode(Fixtures.bytes("animated.gif")).mode()).isEqualTo(DecodedImage.Mode.PALETTE);
        assertThat(decoder.decode(Fixtures.bytes("rgba.png")).mode()).isEqualTo(DecodedImage.Mode.RGBA);
        assertThat(decoder.decode(Fixtures.bytes("la.png")).mode()).isEqualTo(DecodedImage.Mode.RGBA);
        assertThat(decoder.decode(Fixtures.bytes("cmyk.jpg")).mode()).isEqualTo(DecodedImage.Mode.CMYK);
    }

    @Test
    void sixteenBitGreyKeepsHighByte() throws Exception {
        byte[] png = Fixtures.bytes("gray16.png");
        java.awt.image.Raster raw = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getRaster();

        DecodedImage decoded = decoder.decode(png);

        assertThat(decoded.mode()).isEqualTo(DecodedImage.Mode.RGB);
        for (int[] point : new int[][] {{0, 0}, {80, 120}, {159, 239}, {37, 201}}) {
            int sample = raw.getSample(point[0], point[1], 0);
            int gray = sample >> 8;
            assertThat(decoded.pixels()[point[1] * 160 + point[0]])
                    .as("pixel %d,%d with 16-bit value %d", point[0], point[1], sample)
                    .isEqualTo((gray << 16) | (gray << 8) | gray);
        }
    }

    @Test
    void heicIsRejectedByName() {
        InvalidImageException e = decodeExpectingFailure(ftyp("heic", "mif1", "heic"));

        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
        assertThat(e.getMessage()).contains("HEIC").contains("JPEG, PNG, GIF, BMP, TIFF or WebP");
    }

    @Test
    void avifIsRejectedByName() {
        InvalidImageException e = decodeExpectingFailure(ftyp("mif1", "avif", "miaf"));

        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
        assertThat(e.getMessage()).contains("AVIF").contains("JPEG, PNG, GIF, BMP, TIFF or WebP");
    }

    @Test
    void mp4IsNotNamedHeic() {
        InvalidImageException e = decodeExpectingFailure(ftyp("isom", "isom", "mp41"));

        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
        assertThat(e.getMessage()).doesNotContain("HEIC").doesNotContain("AVIF").contains("first bytes");
    }

    /** Builds an ISO base media ftyp box with a major brand and compatible brands, then a few payload bytes. */
    private static byte[] ftyp(String majorBrand, String... compatibleBrands) {
        int size = 16 + 4 * compatibleBrands.length;
        byte[] box = new byte[size + 8];
        writeInt(box, 0, size);
        System.arraycopy("ftyp".getBytes(StandardCharsets.US_ASCII), 0, box, 4, 4);
        System.arraycopy(majorBrand.getBytes(StandardCharsets.US_ASCII), 0, box, 8, 4);
        for (int i = 0; i < compatibleBrands.length; i++) {
            System.arraycopy(compatibleBrands[i].getBytes(StandardCharsets.US_ASCII), 0, box, 16 + 4 * i, 4);
        }
        return box;
    }

    private void assertReason(byte[] bytes, Reason reason) {
        assertThat(decodeExpectingFailure(bytes).reason()).isEqualTo(reason);
    }

    private InvalidImageException decodeExpectingFailure(byte[] bytes) {
        return assertThrowsInvalid(() -> decoder.decode(bytes));
    }

    private static InvalidImageException assertThrowsInvalid(Runnable decode) {
        try {
            decode.run();
        } catch (InvalidImageException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e;
        }
        throw new AssertionError("expected an InvalidImageException");
    }

    /** Builds a PNG signature, an IHDR for 8-bit RGB of the given size, an empty IDAT and IEND. */
    static byte[] pngHeader(int width, int height) {
        byte[] ihdr = new byte[13];
        writeInt(ihdr, 0, width);
        writeInt(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        return concat(signature, chunk("IHDR", ihdr), chunk("IDAT", new byte[0]), chunk("IEND", new byte[0]));
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] chunk = new byte[12 + data.length];
        writeInt(chunk, 0, data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(typeBytes, 0, chunk, 4, 4);
        System.arraycopy(data, 0, chunk, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(chunk, 4, 4 + data.length);
        writeInt(chunk, 8 + data.length, (int) crc.getValue());
        return chunk;
    }

    private static void writeInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }

    /** Hashes the pixels as Pillow's numpy view does: rows of R, G, B bytes. */
    static String sha256OfRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[3 * i] = (byte) (pixels[i] >> 16);
            rgb[3 * i + 1] = (byte) (pixels[i] >> 8);
            rgb[3 * i + 2] = (byte) pixels[i];
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rgb));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
