package io.github.clipage.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises HEIC and AVIF files, which no maintained pure-Java decoder reads, from the brands of their
 * leading ISO base media {@code ftyp} box, so that the rejection can name the format.
 */
final class IsoMediaBrand {

    /** HEIF brands for HEVC-coded images and sequences, as phones write them. */
    private static final Set<String> HEIC_BRANDS =
            Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1");

    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

    private IsoMediaBrand() {
    }

    /**
     * Returns "AVIF" or "HEIC" when the bytes start with an {@code ftyp} box whose major or compatible brands
     * name that format. AVIF wins because AVIF files also list the generic HEIF brand {@code mif1}.
     */
    static Optional<String> imageFormatName(byte[] bytes) {
        if (bytes.length < 16 || !"ftyp".equals(ascii(bytes, 4))) {
            return Optional.empty();
        }
        long boxSize = ((long) (bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8)
                | (bytes[3] & 0xFF);
        int end = (int) Math.min(Math.max(boxSize, 16), bytes.length);

        boolean heic = false;
        // The major brand is at offset 8, a minor version at 12, then compatible brands until the box ends.
        for (int offset = 8; offset + 4 <= end; offset += offset == 8 ? 8 : 4) {
            String brand = ascii(bytes, offset);
            if (AVIF_BRANDS.contains(brand)) {
                return Optional.of("AVIF");
            }
            heic |= HEIC_BRANDS.contains(brand);
        }
        return heic ? Optional.of("HEIC") : Optional.empty();
    }

    private static String ascii(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
    }
}
