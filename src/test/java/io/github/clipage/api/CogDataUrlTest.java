package io.github.clipage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Decoding of data URLs and their size checks. */
class CogDataUrlTest {

    private static final byte[] BYTES = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF, (byte) 0xFE};

    @Test
    void base64DataIsDecoded() {
        String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(BYTES);

        assertThat(CogDataUrl.decode(url, 100)).isEqualTo(BYTES);
    }

    @Test
    void schemeAndBase64MarkerIgnoreCase() {
        String url = "DATA:image/png;BASE64," + Base64.getEncoder().encodeToString(BYTES);

        assertThat(CogDataUrl.isDataUrl(url)).isTrue();
        assertThat(CogDataUrl.decode(url, 100)).isEqualTo(BYTES);
    }

    @Test
    void base64WithoutMediaTypeOrPaddingIsDecoded() {
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(BYTES);

        assertThat(CogDataUrl.decode("data:;base64," + unpadded, 100)).isEqualTo(BYTES);
    }

    @Test
    void base64WithLineBreaksIsDecoded() {
        String mime = Base64.getMimeEncoder(4, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(BYTES);

        assertThat(mime).contains("\r\n");
        assertThat(CogDataUrl.decode("data:image/png;base64," + mime, 100)).isEqualTo(BYTES);
    }

    @Test
    void percentEncodedBase64IsDecoded() {
        String encoded = Base64.getEncoder().encodeToString(BYTES).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");

        assertThat(CogDataUrl.decode("data:image/png;base64," + encoded, 100)).isEqualTo(BYTES);
    }

    @Test
    void percentEncodedDataIsDecoded() {
        assertThat(CogDataUrl.decode("data:image/png,%89PNG%00%01%02%FF%fe", 100)).isEqualTo(BYTES);
        assertThat(CogDataUrl.decode("data:,hello", 100)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void invalidBase64IsBadRequest() {
        assertThatThrownBy(() -> CogDataUrl.decode("data:image/png;base64,iVBOR*w0K", 100))
                .isInstanceOfSatisfying(CogInputException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST))
                .hasMessageContaining("base64");
    }

    @Test
    void invalidPercentEncodingIsBadRequest() {
        assertThatThrownBy(() -> CogDataUrl.decode("data:image/png,%8", 100))
                .isInstanceOfSatisfying(CogInputException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST))
                .hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> CogDataUrl.decode("data:image/png,%zz", 100)).isInstanceOf(CogInputException.class);
    }

    @Test
    void missingCommaIsBadRequest() {
        assertThatThrownBy(() -> CogDataUrl.decode("data:image/png;base64", 100))
                .isInstanceOfSatisfying(CogInputException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST))
                .hasMessageContaining("data:[<mediatype>][;base64],<data>");
    }

    @Test
    void dataAtLimitIsAccepted() {
        byte[] bytes = new byte[300];

        assertThat(CogDataUrl.decode("data:;base64," + Base64.getEncoder().encodeToString(bytes), 300)).hasSize(300);
    }

    @Test
    void decodedDataOverLimitIsContentTooLarge() {
        // 301 bytes encode to 404 characters, within the text limit for 300 bytes, so the decoded size decides.
        String url = "data:;base64," + Base64.getEncoder().encodeToString(new byte[301]);

        assertThatThrownBy(() -> CogDataUrl.decode(url, 300))
                .isInstanceOfSatisfying(CogInputException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE))
                .hasMessageContaining("300 bytes");
    }

    @Test
    void textOverLimitIsRejectedBeforeDecoding() {
        // Not valid base64: decoding it would give 400, so a 413 shows the length was checked first.
        String url = "data:;base64," + "*".repeat((int) CogDataUrl.maxBase64Length(300) + 1);

        assertThatThrownBy(() -> CogDataUrl.decode(url, 300))
                .isInstanceOfSatisfying(CogInputException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
    }

    @Test
    void maxBase64LengthAllowsLineBreaks() {
        assertThat(CogDataUrl.maxBase64Length(300)).isEqualTo(400 + 2 * (400 / 76 + 1));
        assertThat(CogDataUrl.maxBase64Length(1)).isEqualTo(4 + 2);
    }
}
