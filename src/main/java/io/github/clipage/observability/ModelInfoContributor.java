package io.github.clipage.observability;

import io.github.clipage.prediction.AgeEstimator;
import io.github.clipage.prediction.ModelInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** Adds the running model to {@code /actuator/info}; the build version comes from Boot's build info. */
@Component
public class ModelInfoContributor implements InfoContributor {

    private final AgeEstimator estimator;

    /** Creates the contributor for the service's estimator. */
    public ModelInfoContributor(AgeEstimator estimator) {
        this.estimator = estimator;
    }

    @Override
    public void contribute(Info.Builder builder) {
        ModelInfo info = estimator.info();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", info.id());
        if (info.revision() != null) {
            model.put("revision", info.revision());
        }
        model.put("device", info.device());
        model.put("dtype", info.dataType());
        model.put("prompts", estimator.prompts().ages().length);
        model.put("demo", info.demo());
        builder.withDetail("model", model);
    }
}
