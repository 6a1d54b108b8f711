package io.github.clipage;

import io.github.clipage.clip.FetchCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the age-estimation service, and of its {@code fetch} command. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClipAgePredictorApplication {

    /** Starts the service, or with {@code fetch} as first argument, only fetches the configured model. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(FetchCommand.NAME)) {
            System.exit(FetchCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(ClipAgePredictorApplication.class, args);
    }
}
