package io.github.clipage.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Loads the image fixtures and the Pillow references written by tools/pillow_reference.py. */
final class Fixtures {

    private Fixtures() {
    }

    /** One line of reference.tsv: Pillow's decoded size, torchvision's resize and crop, and the pixels' hash. */
    record Reference(String fixture, int width, int height, int resizedWidth, int resizedHeight,
            int cropLeft, int cropTop, String decodedSha256) {

        @Override
        public String toString() {
            return fixture;
        }
    }

    /** The fixture whose decoder differs from Pillow's, so only a measured bound is checked for it. */
    static final String LOSSY_WEBP = "lossy.webp";

    static List<Reference> references() {
        String tsv = new String(bytes("reference/reference.tsv"), StandardCharsets.UTF_8);
        return tsv.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t"))
                .map(f -> new Reference(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]),
                        Integer.parseInt(f[6]), f[7]))
                .toList();
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource images/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gunzip(String name) {
        try (InputStream in = new GZIPInputStream(Fixtures.class.getResourceAsStream("/images/" + name))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
