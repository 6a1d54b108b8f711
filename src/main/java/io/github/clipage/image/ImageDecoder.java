package io.github.clipage.image;

import io.github.clipage.image.InvalidImageException.Reason;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes uploaded bytes into an 8-bit RGB image with the pixels Pillow's {@code Image.open(...).convert("RGB")}
 * gives, rejecting empty, unknown, truncated and oversized input with an {@link InvalidImageException}.
 *
 * <p>The format comes from the leading bytes, never from a file name or content type. The pixel count is
 * checked against the header before any pixel is allocated. Instances are immutable and thread-safe.
 */
public final class ImageDecoder {

    private final long maxPixels;
    private final boolean applyExifOrientation;

    /**
     * Creates a decoder.
     *
     * @param maxPixels the maximum width x height accepted, checked against the header before decoding
     * @param applyExifOrientation whether to turn JPEGs upright according to their Exif orientation tag
     */
    public ImageDecoder(long maxPixels, boolean applyExifOrientation) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
        this.applyExifOrientation = applyExifOrientation;
    }

    /**
     * Decodes an image file into a {@link BufferedImage#TYPE_INT_RGB} image (first frame for animations).
     *
     * @throws InvalidImageException if the bytes are empty, not a supported format, truncated or corrupt, or
     *     declare a zero or too large size
     */
    public BufferedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException(Reason.EMPTY, "The image is empty (0 bytes).");
        }
        ImageFormat format = ImageFormat.detect(bytes).orElseThrow(() -> unsupported(bytes));
        HeaderCheck.check(format, bytes, maxPixels);

        BufferedImage decoded = read(format, bytes);
        int width = decoded.getWidth();
        int height = decoded.getHeight();
        int[] pixels = PillowRgbConversion.toPackedRgb(decoded);

        if (applyExifOrientation && format == ImageFormat.JPEG) {
            ExifOrientation.Oriented oriented =
                    ExifOrientation.apply(ExifOrientation.read(bytes), pixels, width, height);
            pixels = oriented.pixels();
            width = oriented.width();
            height = oriented.height();
        }
        return toIntRgbImage(pixels, width, height);
    }

    /** Returns the maximum number of pixels this decoder accepts. */
    public long maxPixels() {
        return maxPixels;
    }

    private BufferedImage read(ImageFormat format, byte[] bytes) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new InvalidImageException(Reason.UNSUPPORTED_FORMAT,
                    "The image is " + format + ", but no " + format + " decoder is installed in this service.");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, false);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));

            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            HeaderCheck.checkSize(format, width, height, maxPixels);

            BufferedImage image = reader.read(0);
            TruncationCheck.check(format, warnings);
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException invalid) {
                throw invalid;
            }
            throw new InvalidImageException(Reason.CORRUPT,
                    "The " + format + " image could not be decoded: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private static InvalidImageException unsupported(byte[] bytes) {
        int prefixLength = Math.min(bytes.length, 8);
        String leading = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, prefixLength).toUpperCase(Locale.ROOT);
        return new InvalidImageException(Reason.UNSUPPORTED_FORMAT,
                "The bytes are not a supported image (first bytes: " + leading
                        + "); send a JPEG, PNG, GIF, BMP, TIFF or WebP file.");
    }

    private static BufferedImage toIntRgbImage(int[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(pixels, 0, data, 0, pixels.length);
        return image;
    }
}
