package io.github.clipage.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Feeds a few thousand damaged versions of the fixtures (bit flips, overwritten runs, truncations, inflated
 * header sizes, archives, HTML) through decoding and preprocessing. Each must end in a usable image or an
 * {@link InvalidImageException}, within a time and allocation bound.
 */
class MutatedImageTest {

    /** The default of {@code age.image.max-pixels} in application.yaml. */
    private static final long MAX_PIXELS = 40_000_000L;

    /**
     * Bytes one decode may allocate per allowed pixel: the decoder's raster (up to 8 bytes a pixel for 16-bit
     * RGBA), the packed pixels, the Exif rotation's copy and the resize's premultiplied copy.
     */
    private static final long ALLOCATED_BYTES_PER_PIXEL = 24;

    private static final Duration TIME_PER_INPUT = Duration.ofSeconds(3);

    private static final List<String> FIXTURES = List.of("small.png", "palette.png", "la.png", "gray16.png",
            "animated.gif", "small.bmp", "small.tif", "lossless.webp", "lossy.webp", "gray.jpg", "exif6.jpg",
            "cmyk.jpg");

    private final ImageDecoder decoder = new ImageDecoder(MAX_PIXELS, true);
    private final ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(224,
            new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f});
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void mutatedFixturesDecodeOrAreRejectedCleanly() {
        List<Mutant> mutants = mutants(new Random(20261204L));
        assertThat(mutants.size()).as("mutants").isGreaterThan(2000);

        List<String> failures = new ArrayList<>();
        long[] maxAllocated = {0};
        long[] maxNanos = {0};
        String[] slowest = {""};
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (Mutant mutant : mutants) {
                long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                String failure = run(mutant, outcomes);
                long nanos = System.nanoTime() - start;
                long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

                maxAllocated[0] = Math.max(maxAllocated[0], allocated);
                if (nanos > maxNanos[0]) {
                    maxNanos[0] = nanos;
                    slowest[0] = mutant.name();
                }
                if (failure != null) {
                    failures.add(mutant.name() + ": " + failure);
                }
                if (nanos > TIME_PER_INPUT.toNanos()) {
                    failures.add(mutant.name() + ": took " + nanos / 1_000_000 + " ms");
                }
                if (allocated > ALLOCATED_BYTES_PER_PIXEL * MAX_PIXELS) {
                    failures.add(mutant.name() + ": allocated " + allocated + " bytes");
                }
            }
        });

        System.out.printf("%d mutants: %d decoded, %d rejected; slowest %d ms (%s), largest allocation %d MB%n",
                mutants.size(), outcomes[0], outcomes[1], maxNanos[0] / 1_000_000, slowest[0], maxAllocated[0] >> 20);
        assertThat(failures).as("mutants that did not end in an image or an InvalidImageException").isEmpty();
        assertThat(outcomes[1]).as("rejected mutants").isPositive();
    }

    /** Decodes and preprocesses one mutant; returns why it failed, or null. */
    private String run(Mutant mutant, int[] outcomes) {
        try {
            DecodedImage decoded = decoder.decode(mutant.bytes());
            if (decoded.width() <= 0 || decoded.height() <= 0) {
                return "decoded to " + decoded.width() + " x " + decoded.height();
            }
            float[] pixelValues = preprocessor.toPixelValues(decoded);
            if (pixelValues.length != 3 * 224 * 224) {
                return "pixel values of length " + pixelValues.length;
            }
            outcomes[0]++;
            // A cut after the first frame of the two-frame GIF leaves that frame complete, and Pillow opens it
            // too. Every other truncation must be rejected, never filled with grey.
            if (mutant.name().contains(" truncated at ") && !mutant.name().startsWith("animated.gif")) {
                return "truncated file decoded";
            }
            return null;
        } catch (InvalidImageException e) {
            outcomes[1]++;
            return e.getMessage() == null || e.getMessage().isBlank() ? "rejected without a message" : null;
        } catch (Throwable e) {
            return "threw " + e;
        }
    }

    record Mutant(String name, byte[] bytes) {
    }

    private static List<Mutant> mutants(Random random) {
        List<Mutant> mutants = new ArrayList<>();
        for (String fixture : FIXTURES) {
            byte[] original = Fixtures.bytes(fixture);
            for (int i = 0; i < 60; i++) {
                mutants.add(new Mutant(fixture + " bit flips " + i, flipBits(original, 1 + random.nextInt(8), random)));
            }
            for (int i = 0; i < 40; i++) {
                mutants.add(new Mutant(fixture + " byte run " + i, overwriteRun(original, random)));
            }
            for (int i = 0; i < 60; i++) {
                // Half the cuts fall in the first 512 bytes, where the headers are.
                int length = i % 2 == 0 ? random.nextInt(Math.min(512, original.length)) : random.nextInt(original.length);
                mutants.add(new Mutant(fixture + " truncated at " + length, Arrays.copyOf(original, length)));
            }
            for (long[] size : INFLATED_SIZES) {
                byte[] inflated = HeaderSizes.withSize(original, (int) size[0], (int) size[1]);
                if (inflated != null) {
                    mutants.add(new Mutant(fixture + " declaring " + size[0] + " x " + size[1], inflated));
                }
            }
            mutants.add(new Mutant(fixture + " gzip", gzip(original)));
            mutants.add(new Mutant(fixture + " zip", zip(fixture, original)));
        }
        String html = "<!DOCTYPE html><html><head><title>photo.jpg</title></head><body><img src=\"photo.jpg\"></body></html>";
        mutants.add(new Mutant("html", html.getBytes(StandardCharsets.UTF_8)));
        mutants.add(new Mutant("zip of zip", zip("inner.zip", zip("photo.jpg", Fixtures.bytes("gray.jpg")))));
        mutants.add(new Mutant("one byte", new byte[] {(byte) 0xFF}));
        mutants.add(new Mutant("jpeg signature only", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}));
        return mutants;
    }

    /**
     * Sizes written into headers: beyond the pixel limit, one axis at the format's maximum, zero, and within
     * the limit but far beyond the data, which forces the decoder to notice the missing pixels.
     */
    private static final long[][] INFLATED_SIZES = {{65_535, 65_535}, {65_535, 1}, {1, 65_535}, {0, 100},
            {100, 0}, {6_000, 6_000}, {40_000, 1_000}, {1, 1}};

    private static byte[] flipBits(byte[] original, int count, Random random) {
        byte[] bytes = original.clone();
        for (int i = 0; i < count; i++) {
            int position = random.nextInt(bytes.length);
            bytes[position] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    private static byte[] overwriteRun(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int start = random.nextInt(bytes.length);
        int length = Math.min(1 + random.nextInt(64), bytes.length - start);
        int kind = random.nextInt(3);
        for (int i = start; i < start + length; i++) {
            bytes[i] = switch (kind) {
                case 0 -> 0;
                case 1 -> (byte) 0xFF;
                default -> (byte) random.nextInt(256);
            };
        }
        return bytes;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] zip(String name, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(bytes);
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
