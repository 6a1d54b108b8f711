package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares the Java towers with the PyTorch reference in {@code tools/clip_reference.py} on the
 * same checkpoint files, in both weight formats. Regenerate the reference values with the commands in {@code tools/README.md}.
 */
class ReferenceParityTest {

    private static final double TOLERANCE = 1e-4;
    private static final Path CHECKPOINTS = Path.of("src/test/resources/checkpoints");
    private static final Path REFERENCE = Path.of("src/test/resources/reference");

    @ParameterizedTest
    @CsvSource({"tiny-quickgelu, model.safetensors", "tiny-quickgelu, pytorch_model.bin", "tiny-gelu, model.safetensors",
        "tiny-p14-336, model.safetensors"})
    void towersMatchPyTorchReference(String name, String weightsFile) throws Exception {
        Path directory = CHECKPOINTS.resolve(name);
        ReferenceEmbeddings reference = ReferenceEmbeddings.read(REFERENCE.resolve(name + "-embeddings.json"));
        ClipConfig config = ClipConfig.read(directory.resolve("config.json"));

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ClipModelBlock block = new ClipModelBlock(config);
            block.textModel().setEosTokenId(config.text().vocabSize() - 1);
            Path weights = directory.resolve(weightsFile);
            Map<String, CheckpointTensor> tensors = weightsFile.endsWith(".bin")
                    ? PytorchCheckpointReader.read(weights)
                    : SafetensorsReader.read(weights);
            CheckpointLoader.load(block, tensors, manager, DataType.FLOAT32);
            ParameterStore store = new ParameterStore(manager, false);

            int images = reference.imageEmbeds().length;
            int size = config.vision().imageSize();
            NDArray pixelValues = manager.create(ReferenceEmbeddings.formulaPixels(images, size), new Shape(images, 3, size, size));
            NDArray inputIds = manager.create(reference.inputIds());

            assertThat(block.visionModel().lastHiddenState(store, pixelValues).getShape().getShape())
                    .isEqualTo(reference.visionHiddenShape());
            assertThat(block.textModel().lastHiddenState(store, inputIds).getShape().getShape())
                    .isEqualTo(reference.textHiddenShape());
            assertClose("image", block.imageEmbeddings(store, pixelValues), reference.imageEmbeds());
            assertClose("text", block.textEmbeddings(store, inputIds), reference.textEmbeds());
        }
    }

    private static void assertClose(String tower, NDArray actual, float[][] expected) {
        assertThat(actual.getShape()).isEqualTo(new Shape(expected.length, expected[0].length));
        float[] values = actual.toFloatArray();
        double maxDifference = 0;
        for (int row = 0; row < expected.length; row++) {
            for (int column = 0; column < expected[row].length; column++) {
                float value = values[row * expected[row].length + column];
                maxDifference = Math.max(maxDifference, Math.abs(value - expected[row][column]));
            }
        }
        assertThat(maxDifference).as("largest %s embedding difference from PyTorch", tower).isLessThan(TOLERANCE);
    }
}
