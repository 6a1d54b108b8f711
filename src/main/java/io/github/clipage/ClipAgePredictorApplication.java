package io.github.clipage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the age-estimation service and of its commands. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClipAgePredictorApplication {

    /**
     * Starts the service, or runs the command that the first argument names ({@code fetch},
     * {@code evaluate}, {@code synthetic-checkpoint}) or prints the usage ({@code --help}).
     */
    public static void main(String[] args) {
        Launcher.Action action = Launcher.actionFor(args);
        if (action == Launcher.Action.SERVICE) {
            SpringApplication.run(ClipAgePredictorApplication.class, args);
            return;
        }
        System.exit(Launcher.runCommand(action, args, System.out, System.err));
    }
}
