package io.github.clipage;

import io.github.clipage.clip.FetchCommand;
import io.github.clipage.clip.SyntheticCheckpoint;
import io.github.clipage.prediction.EvaluateCommand;
import java.io.IOException;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the age-estimation service and of its commands. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClipAgePredictorApplication {

    /**
     * Starts the service. With {@code fetch} as first argument it only fetches the configured
     * model; with {@code evaluate} it measures the model's accuracy on a labelled folder; with
     * {@code synthetic-checkpoint} it writes a CLIP checkpoint of random weights.
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals(FetchCommand.NAME)) {
            System.exit(FetchCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("synthetic-checkpoint")) {
            System.exit(SyntheticCheckpoint.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals(EvaluateCommand.NAME)) {
            System.exit(EvaluateCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(ClipAgePredictorApplication.class, args);
    }
}
