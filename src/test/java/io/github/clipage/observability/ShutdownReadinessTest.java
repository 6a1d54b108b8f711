package io.github.clipage.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clipage.ClipAgePredictorApplication;
import io.github.clipage.prediction.AgeEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/** Closes the whole service and checks that readiness goes down while the model still serves. */
class ShutdownReadinessTest {

    @Test
    void readinessRefusesTrafficBeforeModelCloses() {
        AtomicReference<AgeEstimator> estimator = new AtomicReference<>();
        List<String> events = new ArrayList<>();
        ApplicationListener<AvailabilityChangeEvent<?>> recorder = event -> {
            if (event.getState() instanceof ReadinessState readiness
                    && event.getSource() instanceof ApplicationContext source) {
                events.add(readiness + " with model ready " + source.getBean(AgeEstimator.class).isReady());
            }
        };
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ClipAgePredictorApplication.class)
                .listeners(recorder)
                .run("--age.model.id=demo", "--server.port=0", "--server.address=127.0.0.1");
        estimator.set(context.getBean(AgeEstimator.class));
        ModelHealthIndicator modelHealth = context.getBean(ModelHealthIndicator.class);
        assertThat(modelHealth.health().getStatus()).isEqualTo(Status.UP);

        context.close();

        assertThat(events).containsExactly(
                "ACCEPTING_TRAFFIC with model ready true",
                "REFUSING_TRAFFIC with model ready true");
        assertThat(estimator.get().isReady()).isFalse();
        assertThat(modelHealth.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
