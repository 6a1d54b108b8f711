package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLoaderTest {

    private static final Path CHECKPOINT = Path.of("src/test/resources/checkpoints/tiny-quickgelu");

    private ClipConfig config;
    private Map<String, CheckpointTensor> tensors;

    @BeforeEach
    void readCheckpoint() throws Exception {
        config = ClipConfig.read(CHECKPOINT.resolve("config.json"));
        tensors = new LinkedHashMap<>(SafetensorsReader.read(CHECKPOINT.resolve("model.safetensors")));
    }

    @Test
    void completeCheckpointSetsEveryParameter() {
        ClipModelBlock block = new ClipModelBlock(config);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CheckpointLoader.load(block, tensors, manager, DataType.FLOAT32);

            assertThat(block.namedWeights()).hasSize(tensors.size());
            block.namedWeights().forEach((name, weight) -> {
                assertThat(weight.parameter().isInitialized()).as(name).isTrue();
                assertThat(weight.parameter().getArray().getShape()).as(name).isEqualTo(weight.shape());
            });
        }
    }

    @Test
    void unusedTensorIsRejectedByName() {
        tensors.put("vision_model.encoder.layers.2.mlp.fc1.weight", tensors.get("logit_scale"));

        assertThatThrownBy(() -> load(tensors))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("Tensors the model does not use: vision_model.encoder.layers.2.mlp.fc1.weight")
                .satisfies(e -> assertThat(((CheckpointMismatchException) e).unexpected())
                        .containsExactly("vision_model.encoder.layers.2.mlp.fc1.weight"));
    }

    @Test
    void missingParametersAreListed() {
        tensors.remove("text_projection.weight");
        tensors.remove("vision_model.post_layernorm.bias");

        assertThatThrownBy(() -> load(tensors))
                .isInstanceOf(CheckpointMismatchException.class)
                .satisfies(e -> assertThat(((CheckpointMismatchException) e).missing())
                        .containsExactlyInAnyOrder("text_projection.weight", "vision_model.post_layernorm.bias"));
    }

    @Test
    void wrongShapeIsRejected() {
        CheckpointTensor scale = tensors.get("logit_scale");
        tensors.put("logit_scale", new CheckpointTensor("logit_scale", TensorType.F32, new long[] {1}, scale.data()));

        assertThatThrownBy(() -> load(tensors))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("logit_scale is [1] in the file, [] in the config");
    }

    @Test
    void knownPositionBuffersAreSkipped() {
        ByteBuffer positions = ByteBuffer.allocate(77 * 8);
        tensors.put("text_model.embeddings.position_ids",
                new CheckpointTensor("text_model.embeddings.position_ids", TensorType.I64, new long[] {1, 77}, positions));

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ClipModelBlock block = new ClipModelBlock(config);
            CheckpointLoader.load(block, tensors, manager, DataType.FLOAT32);
            assertThat(block.namedWeights()).doesNotContainKey("text_model.embeddings.position_ids");
        }
    }

    @Test
    void configWithMoreLayersThanFileIsRejected() {
        // A config.json from another model: the file lacks every parameter of the extra layer.
        ClipConfig.TowerConfig vision = config.vision();
        ClipConfig deeper = new ClipConfig(config.text(),
                new ClipConfig.TowerConfig(vision.hiddenSize(), vision.intermediateSize(), vision.numHiddenLayers() + 1,
                        vision.numAttentionHeads(), vision.hiddenAct(), vision.layerNormEps(), 0, 0, vision.imageSize(),
                        vision.patchSize(), vision.numChannels()),
                config.projectionDim(), config.logitScaleInitValue());

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> CheckpointLoader.load(new ClipModelBlock(deeper), tensors, manager, DataType.FLOAT32))
                    .isInstanceOf(CheckpointMismatchException.class)
                    .satisfies(e -> assertThat(((CheckpointMismatchException) e).missing())
                            .hasSize(16)
                            .allMatch(name -> name.startsWith("vision_model.encoder.layers.2.")));
        }
    }

    @Test
    void loadedWeightsDoNotShareMemoryWithTheFile(@TempDir Path directory) throws Exception {
        Path file = Files.copy(CHECKPOINT.resolve("model.safetensors"), directory.resolve("model.safetensors"));
        ClipModelBlock block = new ClipModelBlock(config);

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CheckpointLoader.load(block, SafetensorsReader.read(file), manager, DataType.FLOAT32);
            Map<String, float[]> before = new LinkedHashMap<>();
            block.namedWeights().forEach((name, weight) -> before.put(name, weight.parameter().getArray().toFloatArray()));

            // Writes to the file show through a live mapping; copied weights must not change.
            long size = Files.size(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate((int) (size / 2)), size - size / 2);
            }

            block.namedWeights().forEach((name, weight) ->
                    assertThat(weight.parameter().getArray().toFloatArray()).as(name).isEqualTo(before.get(name)));
        }
    }

    private void load(Map<String, CheckpointTensor> checkpoint) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CheckpointLoader.load(new ClipModelBlock(config), checkpoint, manager, DataType.FLOAT32);
        }
    }
}
