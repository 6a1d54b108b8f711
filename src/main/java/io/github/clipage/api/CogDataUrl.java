package io.github.clipage.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * Decodes {@code data:[<mediatype>][;base64],<data>} URLs (RFC 2397), the way Cog clients send files inline.
 * The data is percent-decoded and, when marked {@code ;base64}, base64-decoded with ASCII whitespace ignored and
 * padding optional. The media type is not used: the image format is detected from the bytes.
 */
final class CogDataUrl {

    private CogDataUrl() {
    }

    /** Returns whether the text starts with the {@code data:} scheme, in any case. */
    static boolean isDataUrl(String url) {
        return url.regionMatches(true, 0, "data:", 0, 5);
    }

    /**
     * Returns the longest base64 text that can carry {@code maxBytes} bytes, with room for a line break every 76
     * characters as MIME encoders write.
     */
    static long maxBase64Length(long maxBytes) {
        long unbroken = 4 * ((maxBytes + 2) / 3);
        return unbroken + 2 * (unbroken / 76 + 1);
    }

    /**
     * Decodes the data of a data URL.
     *
     * @throws CogInputException 400 if the URL is malformed or its base64 or percent-encoding is invalid, 413 if
     *     its data is or would be larger than {@code maxBytes}; the size is checked on the text before decoding
     */
    static byte[] decode(String url, long maxBytes) {
        int comma = url.indexOf(',');
        if (!isDataUrl(url) || comma < 0) {
            throw CogInputException.badRequest("input.image is not a valid data URL: expected data:[<mediatype>][;base64],<data>.");
        }
        String metadata = url.substring(5, comma).toLowerCase(Locale.ROOT);
        String data = url.substring(comma + 1);
        boolean base64 = metadata.endsWith(";base64") || metadata.equals("base64");

        long maxTextLength = base64 ? maxBase64Length(maxBytes) : 3 * maxBytes;
        if (data.length() > maxTextLength) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes = base64 ? decodeBase64(percentDecode(data)) : percentDecode(data);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return bytes;
    }

    private static byte[] percentDecode(String data) {
        if (data.indexOf('%') < 0) {
            return data.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '%') {
                if (i + 2 >= data.length()) {
                    throw invalidPercentEncoding(i);
                }
                int high = Character.digit(data.charAt(i + 1), 16);
                int low = Character.digit(data.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw invalidPercentEncoding(i);
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0xFF) {
                throw CogInputException.badRequest("The data URL contains the non-ASCII character U+" + String.format("%04X", (int) c)
                                + " at " + i + "; percent-encode its bytes or use ;base64.");
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] decodeBase64(byte[] text) {
        byte[] compact = new byte[text.length];
        int length = 0;
        for (byte b : text) {
            // Whitespace is allowed inside base64 data, as in browsers' decoding of data URLs.
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                compact[length++] = b;
            }
        }
        try {
            return Base64.getDecoder().decode(Arrays.copyOf(compact, length));
        } catch (IllegalArgumentException e) {
            throw CogInputException.badRequest("The data URL's base64 data is invalid: " + e.getMessage() + ".");
        }
    }

    private static CogInputException invalidPercentEncoding(int index) {
        return CogInputException.badRequest("The data URL has an invalid percent-encoding at character " + index + " of its data.");
    }

    private static CogInputException tooLarge(long maxBytes) {
        return new CogInputException(HttpStatus.CONTENT_TOO_LARGE,
                "The image in the data URL is larger than the limit of " + maxBytes + " bytes.");
    }
}
