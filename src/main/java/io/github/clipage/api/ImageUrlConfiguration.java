package io.github.clipage.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the fetcher for images given by URL from {@code age.remote-images.*}. */
@Configuration(proxyBeanMethods = false)
public class ImageUrlConfiguration {

    /** Creates the address check of the fetcher: public addresses only. */
    @Bean
    public ImageUrlAddressPolicy imageUrlAddressPolicy() {
        return ImageUrlAddressPolicy.publicOnly();
    }

    /** Creates the fetcher with the configured allow-list and limits. */
    @Bean
    public ImageUrlFetcher imageUrlFetcher(RemoteImageProperties properties, ImageUrlAddressPolicy addressPolicy) {
        return new ImageUrlFetcher(properties, addressPolicy);
    }
}
