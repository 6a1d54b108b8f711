package io.github.clipage.observability;

import io.github.clipage.prediction.AgeEstimator;
import io.github.clipage.prediction.ModelInfo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the model ({@code model} in the health endpoint, part of the readiness group): UP once
 * the weights and the text matrix are loaded, DOWN from the moment the service starts to close.
 * The details name the model but never its files, which may lie under a user's home or a mounted secret.
 */
@Component
public class ModelHealthIndicator implements HealthIndicator {

    private final AgeEstimator estimator;

    /** Creates the indicator for the service's estimator. */
    public ModelHealthIndicator(AgeEstimator estimator) {
        this.estimator = estimator;
    }

    @Override
    public Health health() {
        ModelInfo info = estimator.info();
        Health.Builder builder = estimator.isReady() ? Health.up() : Health.down();
        builder.withDetail("id", info.id());
        if (info.revision() != null) {
            builder.withDetail("revision", info.revision());
        }
        return builder
                .withDetail("device", info.device())
                .withDetail("dtype", info.dataType())
                .withDetail("prompts", estimator.prompts().ages().length)
                .withDetail("promptTemplates", estimator.prompts().templates())
                .withDetail("demo", info.demo())
                .build();
    }
}
