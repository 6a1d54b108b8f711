package io.github.clipage.clip;

import io.github.clipage.hub.HubClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code fetch} command: finds or downloads the configured model into the Hugging Face cache
 * and exits, without loading it. Docker builds and Kubernetes init containers run it so that the
 * service starts without network access.
 */
@Configuration(proxyBeanMethods = false)
@Profile(FetchCommand.PROFILE)
@EnableConfigurationProperties(ModelProperties.class)
public class FetchCommand {

    /** The first command-line argument that selects this command. */
    public static final String NAME = "fetch";

    // The service's component scan finds this class too; the profile keeps it out of the service.
    static final String PROFILE = "fetch-command";

    private static final Logger log = LoggerFactory.getLogger(FetchCommand.class);

    /** Runs the command with the service's configuration sources and returns the exit code. */
    public static int run(String[] args) {
        try {
            return SpringApplication.exit(new SpringApplicationBuilder(FetchCommand.class)
                    .profiles(PROFILE)
                    .web(WebApplicationType.NONE)
                    .run(args));
        } catch (RuntimeException e) {
            // Spring Boot has already logged the failure with its cause.
            return 1;
        }
    }

    /** Locates the model, downloading what is missing, and logs where it is. */
    @Bean
    public ApplicationRunner fetchModel(ModelProperties properties) {
        return (ApplicationArguments arguments) -> {
            HubClient hubClient = HubClient.fromEnvironment(System.getenv());
            ModelLocator.LocatedModel located = ModelLocator.locate(properties, hubClient);
            try {
                log.info("Model {} is ready: {}", properties.isDemo() ? SyntheticCheckpoint.DEMO_MODEL_ID : properties.id(),
                        located.description());
            } finally {
                located.deleteIfTemporary();
            }
        };
    }
}
