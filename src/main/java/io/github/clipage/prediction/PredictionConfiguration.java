package io.github.clipage.prediction;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslateException;
import io.github.clipage.clip.CheckpointMismatchException;
import io.github.clipage.clip.ClipModel;
import io.github.clipage.clip.ClipModelLoader;
import io.github.clipage.clip.ImageProcessorConfig;
import io.github.clipage.clip.ModelLocator;
import io.github.clipage.clip.ModelLocator.LocatedModel;
import io.github.clipage.clip.ModelProperties;
import io.github.clipage.hub.HubClient;
import io.github.clipage.hub.HubException;
import io.github.clipage.image.ClipImagePreprocessor;
import io.github.clipage.observability.ServingMetrics;
import io.github.clipage.serving.ServingProperties;
import java.time.Duration;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the configured CLIP model and its text matrix at start-up. */
@Configuration(proxyBeanMethods = false)
public class PredictionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PredictionConfiguration.class);

    private static final String MODEL_SOURCES = "Provide a model in one of three ways: age.model.path, a folder with"
            + " config.json, tokenizer.json and model.safetensors or pytorch_model.bin; age.model.id and"
            + " age.model.revision of a model in the Hugging Face cache (HF_HUB_CACHE, HF_HOME/hub or"
            + " ~/.cache/huggingface/hub), downloaded when missing unless HF_HUB_OFFLINE=1; or age.model.id=demo"
            + " to try the service with the built-in demo model, whose ages mean nothing.";

    /**
     * Loads the model, encodes the prompts and starts the predictors. Any failure stops start-up
     * with a {@link ModelStartupException} that states what to do.
     */
    @Bean(destroyMethod = "close")
    public AgeEstimator ageEstimator(ModelProperties modelProperties, ServingProperties servingProperties,
            PromptProperties promptProperties, HubClient hubClient, ServingMetrics metrics) {
        try {
            return createEstimator(modelProperties, servingProperties, promptProperties, hubClient, metrics);
        } catch (FileNotFoundException | HubException e) {
            throw new ModelStartupException(e.getMessage(), MODEL_SOURCES, e);
        } catch (CheckpointMismatchException e) {
            throw new ModelStartupException(e.getMessage(),
                    "Use config.json, tokenizer.json and the weights of one CLIP checkpoint, unmodified.", e);
        } catch (IllegalArgumentException e) {
            throw new ModelStartupException(e.getMessage(), "Correct the setting named above.", e);
        } catch (IOException e) {
            throw new ModelStartupException(e.getMessage(),
                    "Check that the checkpoint's files are complete and readable; download them again if in doubt.", e);
        } catch (TranslateException e) {
            throw new ModelStartupException("Encoding the prompts failed: " + e.getMessage(),
                    "Check that the tokenizer.json belongs to the checkpoint.", e);
        }
    }

    private AgeEstimator createEstimator(ModelProperties modelProperties, ServingProperties servingProperties,
            PromptProperties promptProperties, HubClient hubClient, ServingMetrics metrics)
            throws IOException, TranslateException {
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
        } catch (IOException | RuntimeException e) {
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
        } catch (TranslateException | RuntimeException e) {
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
