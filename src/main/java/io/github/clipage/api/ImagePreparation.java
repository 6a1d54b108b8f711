package io.github.clipage.api;

import io.github.clipage.image.ClipImagePreprocessor;
import io.github.clipage.image.DecodedImage;
import io.github.clipage.image.ImageDecoder;
import org.springframework.stereotype.Component;

/** Turns the bytes a caller sent into the model's input, the same way for every endpoint. */
@Component
public class ImagePreparation {

    private final ImageDecoder decoder;
    private final ClipImagePreprocessor preprocessor;

    /** Creates the preparation from the configured decoder and the model's preprocessing. */
    public ImagePreparation(ImageDecoder decoder, ClipImagePreprocessor preprocessor) {
        this.decoder = decoder;
        this.preprocessor = preprocessor;
    }

    /**
     * Decodes image bytes and preprocesses them into normalised pixel values {@code float[3 * size * size]}.
     *
     * @throws io.github.clipage.image.InvalidImageException when the bytes are not a usable image
     */
    public float[] toPixelValues(byte[] bytes) {
        DecodedImage decoded = decoder.decode(bytes);
        return preprocessor.toPixelValues(decoded);
    }
}
