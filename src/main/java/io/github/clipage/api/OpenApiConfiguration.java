package io.github.clipage.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The title and description of the OpenAPI document that Swagger UI shows. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** Describes the service for the OpenAPI document. */
    @Bean
    public OpenAPI serviceDescription(@Value("${age.api.version:0.1.0}") String version) {
        return new OpenAPI().info(new Info()
                .title("clip-age-predictor")
                .version(version)
                .description("Estimates a person's age from a photograph with OpenAI's CLIP, zero-shot: the image"
                        + " embedding is compared with the embeddings of \"this person is N years old\" for N from"
                        + " 1 to 99, and the closest age is returned. Errors are RFC 9457 problem details.")
                .license(new License().name("MIT")));
    }
}
