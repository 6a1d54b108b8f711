package io.github.clipage.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.github.clipage.clip.ClipCheckpoint;
import io.github.clipage.clip.ClipModel;
import io.github.clipage.clip.ClipModelLoader;
import io.github.clipage.clip.SyntheticCheckpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextMatrixTest {

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

    // Batches of different lengths round differently in the last bits, hence the tolerance.
    @Test
    void singleTemplateRowsAreTheSentenceEmbeddings() throws Exception {
        TextMatrix matrix = TextMatrix.compute(model, AgePrompts.REFERENCE);
        float[][] expected = model.encodeTexts(List.of("this person is 1 years old", "this person is 99 years old"));

        float[] values = matrix.matrix().toFloatArray();
        int width = expected[0].length;
        assertThat(matrix.size()).isEqualTo(99);
        for (int j = 0; j < width; j++) {
            assertThat(values[j]).isCloseTo(expected[0][j], within(1e-6f));
            assertThat(values[98 * width + j]).isCloseTo(expected[1][j], within(1e-6f));
        }
    }

    @Test
    void severalTemplatesAreAveragedAndNormalised() throws Exception {
        AgePrompts prompts = new AgePrompts(List.of("this person is {age} years old", "a photo of a {age} year old person"), 30, 31);

        TextMatrix matrix = TextMatrix.compute(model, prompts);

        float[][] first = model.encodeTexts(List.of("this person is 30 years old"));
        float[][] second = model.encodeTexts(List.of("a photo of a 30 year old person"));
        int width = first[0].length;
        double[] mean = new double[width];
        double squares = 0;
        for (int j = 0; j < width; j++) {
            mean[j] = first[0][j] + second[0][j];
            squares += mean[j] * mean[j];
        }
        float[] values = matrix.matrix().toFloatArray();
        assertThat(matrix.size()).isEqualTo(2);
        for (int j = 0; j < width; j++) {
            assertThat((double) values[j]).isCloseTo(mean[j] / Math.sqrt(squares), within(1e-6));
        }
    }

    @Test
    void agePredictionsLeaveNoArraysOnModelManager() throws Exception {
        TextMatrix matrix = TextMatrix.compute(model, AgePrompts.REFERENCE);
        float[] pixelValues = new float[3 * 224 * 224];
        try (ai.djl.inference.Predictor<float[], float[]> predictor =
                model.newPredictor(new AgeTranslator(model.imageSize(), DataType.FLOAT32, matrix))) {
            predictor.predict(pixelValues);
            int before = model.manager().getManagedArrays().size();

            for (int i = 0; i < 5; i++) {
                predictor.batchPredict(List.of(pixelValues, pixelValues, pixelValues));
            }

            assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void templateWithoutAgeSlotIsRejected() {
        assertThatThrownBy(() -> new AgePrompts(List.of("a photo of a person"), 1, 99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no {age} slot");
        assertThatThrownBy(() -> new AgePrompts(List.of("{age}"), 50, 10))
                .hasMessageContaining("Invalid age range 50 to 10");
    }
}
