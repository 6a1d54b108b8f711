package io.github.clipage.prediction;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.github.clipage.clip.ClipModel;
import io.github.clipage.clip.ClipModelLoader;
import io.github.clipage.clip.ImageProcessorConfig;
import io.github.clipage.clip.ModelLocator;
import io.github.clipage.clip.ModelLocator.LocatedModel;
import io.github.clipage.clip.ModelProperties;
import io.github.clipage.hub.HubClient;
import io.github.clipage.image.ClipImagePreprocessor;
import io.github.clipage.observability.ServingMetrics;
import io.github.clipage.serving.ServingProperties;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the configured CLIP model and its text matrix at start-up. */
@Configuration(proxyBeanMethods = false)
public class PredictionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PredictionConfiguration.class);

    /** Loads the model, encodes the prompts and starts the predictors; any failure stops start-up. */
    @Bean(destroyMethod = "close")
    public AgeEstimator ageEstimator(ModelProperties modelProperties, ServingProperties servingProperties,
            PromptProperties promptProperties, HubClient hubClient, ServingMetrics metrics) throws Exception {
        AgePrompts prompts = promptProperties.toPrompts();
        ClipModelLoader.DeviceChoice deviceChoice = ClipModelLoader.chooseDevice(modelProperties.device());
        Device device = deviceChoice.device();
        DataType dataType = ClipModelLoader.parseDataType(modelProperties.dtype(), device);
        LocatedModel located = ModelLocator.locate(modelProperties, hubClient);
        ModelInfo info = describe(modelProperties, located, device, dataType);
        logModel(info, deviceChoice.reason());

        long loadStart = System.nanoTime();
        ClipModel model;
        try {
            model = ClipModelLoader.load(located.checkpoint(), device, dataType);
        } catch (Exception e) {
            located.deleteIfTemporary();
            throw e;
        }
        Duration loadDuration = Duration.ofNanos(System.nanoTime() - loadStart);
        metrics.recordModelLoad(loadDuration);
        log.info("Model loaded in {} ms ({} vision layers, {} text layers, image size {})",
                loadDuration.toMillis(), model.config().vision().numHiddenLayers(),
                model.config().text().numHiddenLayers(), model.imageSize());

        try {
            long matrixStart = System.nanoTime();
            TextMatrix textMatrix = TextMatrix.compute(model, prompts);
            Duration matrixDuration = Duration.ofNanos(System.nanoTime() - matrixStart);
            metrics.recordTextMatrix(matrixDuration);
            log.info("Text matrix of {} ages x {} templates computed in {} ms", textMatrix.size(),
                    prompts.templates().size(), matrixDuration.toMillis());
            return new AgeEstimator(info, model, textMatrix, servingProperties, metrics, located::deleteIfTemporary);
        } catch (Exception e) {
            model.close();
            located.deleteIfTemporary();
            throw e;
        }
    }

    /** Creates the Hugging Face Hub client from HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE and the cache variables. */
    @Bean
    public HubClient hubClient() {
        return HubClient.fromEnvironment(System.getenv());
    }

    /** Creates the preprocessing that turns decoded images into the model's input. */
    @Bean
    public ClipImagePreprocessor clipImagePreprocessor(AgeEstimator estimator) {
        ImageProcessorConfig config = estimator.imageProcessorConfig();
        return new ClipImagePreprocessor(config.size(), config.mean(), config.std());
    }

    private static ModelInfo describe(ModelProperties properties, LocatedModel located, Device device, DataType dataType) {
        boolean local = properties.path() != null;
        String id = local ? properties.path().getFileName().toString() : properties.id();
        String revision = local || properties.isDemo() ? null : properties.revision();
        return new ModelInfo(id, revision, located.description(), device.toString(), dataType.name().toLowerCase(Locale.ROOT),
                properties.isDemo());
    }

    private static void logModel(ModelInfo info, String deviceReason) {
        log.info("Model: {} from {}", info.id(), info.source());
        if (info.revision() != null) {
            log.info("Revision: {}", info.revision());
        }
        log.info("Device: {} ({})", info.device(), deviceReason);
        log.info("Data type: {}", info.dataType());
        if (info.demo()) {
            log.warn("The demo model has random weights: its ages mean nothing. "
                    + "Set age.model.id to a CLIP model, or age.model.path to a checkpoint folder, to serve real ages.");
        }
    }
}
