package io.github.clipage.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import io.github.clipage.clip.ClipCheckpoint;
import io.github.clipage.clip.ClipModel;
import io.github.clipage.clip.ClipModelLoader;
import io.github.clipage.clip.SyntheticCheckpoint;
import io.github.clipage.observability.ServingMetrics;
import io.github.clipage.prediction.AgePrompts;
import io.github.clipage.prediction.AgeTranslator;
import io.github.clipage.prediction.TextMatrix;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Runs the demo model through DJL's real predictors, batched and one image at a time. */
class BatchedPredictionTest {

    private static final int IMAGES = 5;

    @TempDir
    static Path directory;

    static ClipModel model;
    static AgeTranslator translator;

    @BeforeAll
    static void loadDemo() throws Exception {
        SyntheticCheckpoint.writeDemo(directory);
        model = ClipModelLoader.load(ClipCheckpoint.in(directory), Device.cpu(), DataType.FLOAT32);
        TextMatrix textMatrix = TextMatrix.compute(model, AgePrompts.REFERENCE);
        translator = new AgeTranslator(model.imageSize(), model.dataType(), textMatrix);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<float[]> randomImages() {
        Random random = new Random(7);
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            float[] pixelValues = new float[3 * model.imageSize() * model.imageSize()];
            for (int j = 0; j < pixelValues.length; j++) {
                pixelValues[j] = (float) random.nextGaussian();
            }
            images.add(pixelValues);
        }
        return images;
    }

    @Test
    void batchedProbabilitiesEqualOneImageAtATime() throws Exception {
        List<float[]> images = randomImages();
        List<float[]> alone = new ArrayList<>();
        try (Predictor<float[], float[]> predictor = model.newPredictor(translator)) {
            for (float[] image : images) {
                alone.add(predictor.predict(image));
            }
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // A delay of 1 s is far longer than the time the test takes to queue all images, so they form one batch.
        ServingProperties settings = new ServingProperties(1, new ServingProperties.Batching(true), 8,
                Duration.ofSeconds(1), 16, Duration.ofSeconds(30), DataSize.ofMegabytes(256));

        List<float[]> batched = new ArrayList<>();
        try (InferenceQueue<float[], float[]> queue = new InferenceQueue<>(settings,
                () -> BatchPredictor.of(model.newPredictor(translator)), new ServingMetrics(registry))) {
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            for (float[] image : images) {
                futures.add(queue.submit(image));
            }
            for (CompletableFuture<float[]> future : futures) {
                batched.add(future.get(30, TimeUnit.SECONDS));
            }
        }

        assertThat(registry.get(ServingMetrics.BATCH_SIZE).summary().count()).isEqualTo(1);
        assertThat(registry.get(ServingMetrics.BATCH_SIZE).summary().totalAmount()).isEqualTo(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            assertThat(batched.get(i)).hasSize(99);
            for (int age = 0; age < 99; age++) {
                assertThat(batched.get(i)[age]).as("image %d, age %d", i, age + 1).isCloseTo(alone.get(i)[age], within(1e-5f));
            }
        }
    }
}
