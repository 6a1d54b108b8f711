package io.github.clipage.image;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the image decoder from {@code age.image.*}. */
@Configuration(proxyBeanMethods = false)
public class ImageConfiguration {

    /** Creates the decoder with the configured pixel limit and orientation setting. */
    @Bean
    public ImageDecoder imageDecoder(ImageProperties properties) {
        return new ImageDecoder(properties.maxPixels(), properties.applyExifOrientation());
    }
}
