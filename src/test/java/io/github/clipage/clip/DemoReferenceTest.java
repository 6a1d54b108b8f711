package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the demo model end to end (files written by Java, tokenizer, DJL predictors) against
 * PyTorch's embeddings of the same files. Regenerate the reference with the commands in
 * {@code tools/README.md}.
 */
class DemoReferenceTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void demoModelMatchesPyTorchReference(@TempDir Path directory) throws Exception {
        ReferenceEmbeddings reference =
                ReferenceEmbeddings.read(Path.of("src/test/resources/reference/demo-embeddings.json"));
        SyntheticCheckpoint.writeDemo(directory);

        try (ClipModel model = ClipModelLoader.load(ClipCheckpoint.in(directory), Device.cpu(), DataType.FLOAT32)) {
            for (int i = 0; i < DemoReferenceExport.PROMPTS.size(); i++) {
                assertThat(model.tokenizer().encode(DemoReferenceExport.PROMPTS.get(i)))
                        .as("token ids of \"%s\"", DemoReferenceExport.PROMPTS.get(i))
                        .isEqualTo(reference.inputIds()[i]);
            }

            float[][] texts = model.encodeTexts(DemoReferenceExport.PROMPTS);
            for (int i = 0; i < texts.length; i++) {
                assertClose("text " + i, texts[i], normalized(reference.textEmbeds()[i]));
            }

            int size = model.imageSize();
            int imageLength = 3 * size * size;
            float[] allPixels = ReferenceEmbeddings.formulaPixels(reference.imageEmbeds().length, size);
            try (Predictor<float[], float[]> predictor = model.newImageEmbeddingPredictor()) {
                for (int i = 0; i < reference.imageEmbeds().length; i++) {
                    float[] pixels = Arrays.copyOfRange(allPixels, i * imageLength, (i + 1) * imageLength);
                    assertClose("image " + i, predictor.predict(pixels), normalized(reference.imageEmbeds()[i]));
                }
            }
        }
    }

    private static float[] normalized(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        float[] result = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            result[i] = (float) (vector[i] / Math.sqrt(sum));
        }
        return result;
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double maxDifference = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(actual[i] - expected[i]));
        }
        assertThat(maxDifference).as("largest %s embedding difference from PyTorch", what).isLessThan(TOLERANCE);
    }
}
