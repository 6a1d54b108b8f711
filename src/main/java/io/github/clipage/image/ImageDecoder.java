package io.github.clipage.image;

import io.github.clipage.image.InvalidImageException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes uploaded bytes into a {@link DecodedImage} with the mode and pixels Pillow's {@code Image.open(...)}
 * gives, rejecting empty, unknown, truncated and oversized input with an {@link InvalidImageException}.
 *
 * <p>The format comes from the leading bytes, never from a file name or content type. The pixel count is
 * checked against the header before any pixel is allocated. Whatever a decoder throws on malformed data,
 * including {@link OutOfMemoryError} and {@link StackOverflowError}, becomes {@link Reason#CORRUPT}.
 * Instances are immutable and thread-safe.
 */
public final class ImageDecoder {

    /** The formats this decoder reads, as named in rejection messages. */
    static final String SUPPORTED_FORMATS = "JPEG, PNG, GIF, BMP, TIFF or WebP";

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
     * Decodes an image file (the first frame of an animation) in the mode Pillow opens it in.
     *
     * @throws InvalidImageException if the bytes are empty, not a supported format, truncated or corrupt, or
     *     declare a zero or too large size
     */
    public DecodedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException(Reason.EMPTY, "The image is empty (0 bytes).");
        }
        ImageFormat format = ImageFormat.detect(bytes).orElseThrow(() -> unsupported(bytes));
        HeaderCheck.check(format, bytes, maxPixels);

        DecodedImage decoded = read(format, bytes);
        if (applyExifOrientation && format == ImageFormat.JPEG) {
            ExifOrientation.Oriented oriented = ExifOrientation.apply(
                    ExifOrientation.read(bytes), decoded.pixels(), decoded.width(), decoded.height());
            decoded = new DecodedImage(oriented.width(), oriented.height(), oriented.pixels(), decoded.mode());
        }
        return decoded;
    }

    /** Returns the maximum number of pixels this decoder accepts. */
    public long maxPixels() {
        return maxPixels;
    }

    private DecodedImage read(ImageFormat format, byte[] bytes) {
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

            BufferedImage image = reader.read(0, readParam(reader));
            TruncationCheck.check(format, warnings);
            if (image.getWidth() != width || image.getHeight() != height) {
                throw new InvalidImageException(Reason.CORRUPT, "The " + format + " header declares " + width
                        + " x " + height + " pixels, but the decoder returned " + image.getWidth() + " x "
                        + image.getHeight() + ".");
            }
            return PillowModeConversion.convert(image, format, bytes);
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // Decoders signal malformed data with all kinds of runtime exceptions (index out of bounds, negative
            // array size, illegal state) and sometimes an error. Each one means bad input, not a service fault.
            throw new InvalidImageException(Reason.CORRUPT,
                    "The " + format + " image could not be decoded (" + e.getClass().getSimpleName() + ": "
                            + e.getMessage() + "); send a complete, valid image file.", e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Asks for CMYK samples when the file is CMYK or YCCK (only JPEG readers offer that type), since Pillow
     * resizes such images in CMYK and converts them to RGB with its own formula, not through an ICC profile.
     */
    private static ImageReadParam readParam(ImageReader reader) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        while (types.hasNext()) {
            ImageTypeSpecifier type = types.next();
            if (type.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
                param.setDestinationType(type);
            }
        }
        return param;
    }

    private static InvalidImageException unsupported(byte[] bytes) {
        Optional<String> isoMediaFormat = IsoMediaBrand.imageFormatName(bytes);
        if (isoMediaFormat.isPresent()) {
            return new InvalidImageException(Reason.UNSUPPORTED_FORMAT,
                    "The image is " + isoMediaFormat.get() + ", which this service cannot decode; send a "
                            + SUPPORTED_FORMATS + " file (a phone can export its photos as JPEG).");
        }
        int prefixLength = Math.min(bytes.length, 8);
        String leading = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, prefixLength).toUpperCase(Locale.ROOT);
        return new InvalidImageException(Reason.UNSUPPORTED_FORMAT,
                "The bytes are not a supported image (first bytes: " + leading + "); send a "
                        + SUPPORTED_FORMATS + " file.");
    }
}
