package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelTest {

    @TempDir
    static Path directory;

    static ClipModel model;

    @BeforeAll
    static void loadDemo() throws Exception {
        SyntheticCheckpoint.writeDemo(directory);
        model = ClipModelLoader.load(ClipCheckpoint.in(directory), Device.cpu(), DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void towerOutputsHaveConfiguredShapes() {
        ClipModelBlock block = model.block();
        try (NDManager manager = model.manager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            NDArray pixelValues = manager.randomNormal(new Shape(2, 3, 224, 224));
            NDArray inputIds = manager.create(new long[][] {
                model.tokenizer().encode("this person is 1 years old"),
                model.tokenizer().encode("hello")
            });

            NDArray visionStates = block.visionModel().lastHiddenState(store, pixelValues);
            assertThat(visionStates.getShape()).isEqualTo(new Shape(2, 50, 64));
            assertThat(block.visionModel().pool(store, visionStates).getShape()).isEqualTo(new Shape(2, 64));
            assertThat(block.imageEmbeddings(store, pixelValues).getShape()).isEqualTo(new Shape(2, 64));

            NDArray textStates = block.textModel().lastHiddenState(store, inputIds);
            assertThat(textStates.getShape()).isEqualTo(new Shape(2, 77, 64));
            assertThat(block.textModel().pool(textStates, inputIds).getShape()).isEqualTo(new Shape(2, 64));
            assertThat(block.textEmbeddings(store, inputIds).getShape()).isEqualTo(new Shape(2, 64));
        }
    }

    @Test
    void tokenizerPadsWithEndOfTextToContextLength() {
        long[] ids = model.tokenizer().encode("this person is 42 years old");
        long eos = model.tokenizer().eosTokenId();

        assertThat(ids).hasSize(77);
        assertThat(ids[0]).isEqualTo(eos - 1);
        // start, this, person, is, 4, 2, years, old, end: whole-word tokens for the prompt's words.
        assertThat(ids[8]).isEqualTo(eos);
        assertThat(ids[76]).isEqualTo(eos);
    }

    @Test
    void tokenizerTruncatesLongTextAndKeepsEndOfText() {
        long[] ids = model.tokenizer().encode("word ".repeat(200));

        assertThat(ids).hasSize(77);
        assertThat(ids[76]).isEqualTo(model.tokenizer().eosTokenId());
    }

    @Test
    void embeddingsHaveUnitLength() throws Exception {
        float[] pixelValues = new float[3 * 224 * 224];
        for (int i = 0; i < pixelValues.length; i++) {
            pixelValues[i] = (float) Math.sin(i * 0.001);
        }
        try (Predictor<float[], float[]> predictor = model.newImageEmbeddingPredictor()) {
            float[] embedding = predictor.predict(pixelValues);
            assertThat(embedding).hasSize(64);
            assertThat(norm(embedding)).isCloseTo(1.0, within(1e-5));
        }
        float[][] texts = model.encodeTexts(List.of("this person is 1 years old", "this person is 99 years old"));
        assertThat(texts).hasDimensions(2, 64);
        assertThat(norm(texts[0])).isCloseTo(1.0, within(1e-5));
        assertThat(texts[0]).isNotEqualTo(texts[1]);
    }

    @Test
    void predictionsLeaveNoArraysOnModelManager() throws Exception {
        float[] pixelValues = new float[3 * 224 * 224];
        try (Predictor<float[], float[]> predictor = model.newImageEmbeddingPredictor()) {
            predictor.predict(pixelValues);
            model.encodeTexts(List.of("this person is 1 years old"));
            int before = model.manager().getManagedArrays().size();

            for (int i = 0; i < 5; i++) {
                predictor.predict(pixelValues);
                predictor.batchPredict(List.of(pixelValues, pixelValues));
                model.encodeTexts(List.of("this person is 1 years old", "this person is 2 years old"));
            }

            assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void demoCheckpointIsTheSameOnEveryWrite(@TempDir Path other) throws Exception {
        SyntheticCheckpoint.writeDemo(other);

        for (String file : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            assertThat(Files.readAllBytes(other.resolve(file)))
                    .as(file)
                    .isEqualTo(Files.readAllBytes(directory.resolve(file)));
        }
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
