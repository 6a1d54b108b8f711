package io.github.clipage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the age-estimation service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClipAgePredictorApplication {

    public static void main(String[] args) {
        SpringApplication.run(ClipAgePredictorApplication.class, args);
    }
}
