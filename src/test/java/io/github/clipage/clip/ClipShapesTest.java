package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checkpoints shaped like each OpenAI CLIP (real widths, heads, patch and image sizes, one layer
 * per tower to stay fast) load through the service's loader and give outputs of the right shape.
 */
class ClipShapesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "vit-b-32, 224, 32, 768, 12, 512, 8, 512",
        "vit-b-16, 224, 16, 768, 12, 512, 8, 512",
        "vit-l-14, 224, 14, 1024, 16, 768, 12, 768",
        "vit-l-14-336, 336, 14, 1024, 16, 768, 12, 768"
    })
    void clipShapeLoadsAndRuns(String name, int imageSize, int patchSize, int visionWidth, int visionHeads,
            int textWidth, int textHeads, int projectionDim, @TempDir Path directory) throws Exception {
        SyntheticCheckpoint.Shape shape = new SyntheticCheckpoint.Shape(
                name, imageSize, patchSize, visionWidth, 1, visionHeads, textWidth, 1, textHeads, 0, projectionDim);
        SyntheticCheckpoint.write(directory, shape, 5);

        try (ClipModel model = ClipModelLoader.load(ClipCheckpoint.in(directory), Device.cpu(), DataType.FLOAT32)) {
            assertThat(model.imageSize()).isEqualTo(imageSize);
            assertThat(model.imageProcessorConfig().size()).isEqualTo(imageSize);

            int positions = (imageSize / patchSize) * (imageSize / patchSize) + 1;
            try (NDManager manager = model.manager().newSubManager()) {
                NDArray pixelValues = manager.zeros(new Shape(1, 3, imageSize, imageSize));
                NDArray hidden = model.block().visionModel().lastHiddenState(new ParameterStore(manager, false), pixelValues);
                assertThat(hidden.getShape()).isEqualTo(new Shape(1, positions, visionWidth));
            }

            try (Predictor<float[], float[]> predictor = model.newImageEmbeddingPredictor()) {
                assertThat(predictor.predict(new float[3 * imageSize * imageSize])).hasSize(projectionDim);
            }
            assertThat(model.encodeTexts(List.of("this person is 30 years old"))[0]).hasSize(projectionDim);
        }
    }
}
