package io.github.clipage.clip;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loaded CLIP network with its tokenizer, served as a DJL {@link ZooModel}.
 *
 * <p>The model itself is shared; each thread must use its own {@link Predictor}.
 */
public final class ClipModel implements AutoCloseable {

    /** Number of texts encoded in one forward pass. */
    public static final int TEXT_BATCH_SIZE = 32;

    private final ZooModel<float[], float[]> model;
    private final ClipModelBlock block;
    private final ClipTokenizer tokenizer;
    private final DataType dataType;
    private final ImageProcessorConfig imageProcessorConfig;

    ClipModel(ZooModel<float[], float[]> model, ClipModelBlock block, ClipTokenizer tokenizer, DataType dataType,
            ImageProcessorConfig imageProcessorConfig) {
        this.model = model;
        this.block = block;
        this.tokenizer = tokenizer;
        this.dataType = dataType;
        this.imageProcessorConfig = imageProcessorConfig;
    }

    /** Returns how images must be resized, cropped and normalised for this model. */
    public ImageProcessorConfig imageProcessorConfig() {
        return imageProcessorConfig;
    }

    /** Returns the network's configuration. */
    public ClipConfig config() {
        return block.config();
    }

    /** Returns the network as a DJL block. */
    public ClipModelBlock block() {
        return block;
    }

    /** Returns the tokenizer of the text tower. */
    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns the device that stores the weights. */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** Returns the element type of the weights. */
    public DataType dataType() {
        return dataType;
    }

    /** Returns the manager that owns the weights; arrays it creates live as long as the model. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /** Returns the side of the square images the image tower takes. */
    public int imageSize() {
        return block.config().vision().imageSize();
    }

    /** Creates a predictor that maps pixel values to unit-length image embeddings. */
    public Predictor<float[], float[]> newImageEmbeddingPredictor() {
        return model.newPredictor();
    }

    /** Creates a predictor with another translator, such as one that ends in age probabilities. */
    public <I, O> Predictor<I, O> newPredictor(Translator<I, O> translator) {
        return model.newPredictor(translator);
    }

    /**
     * Encodes texts as unit-length embeddings, one row per text.
     *
     * <p>Every sequence is cut after the batch's last end-of-text token. The text tower is causal
     * and pools at the first end-of-text, so the padding after it cannot change the result. The
     * 99 age prompts need about 10 of the 77 positions, which saves most of the start-up time
     * and memory. Batches of {@value #TEXT_BATCH_SIZE} bound the memory of the activations.
     */
    public float[][] encodeTexts(List<String> texts) throws TranslateException {
        List<long[]> inputIds = new ArrayList<>(texts.size());
        for (String text : texts) {
            inputIds.add(tokenizer.encode(text));
        }
        int length = 0;
        for (long[] ids : inputIds) {
            length = Math.max(length, firstEndOfText(ids) + 1);
        }

        List<float[]> embeddings = new ArrayList<>(texts.size());
        try (Predictor<long[], float[]> predictor = model.newPredictor(new TextEmbeddingTranslator())) {
            for (int start = 0; start < inputIds.size(); start += TEXT_BATCH_SIZE) {
                List<long[]> batch = new ArrayList<>();
                for (long[] ids : inputIds.subList(start, Math.min(start + TEXT_BATCH_SIZE, inputIds.size()))) {
                    batch.add(Arrays.copyOf(ids, length));
                }
                embeddings.addAll(predictor.batchPredict(batch));
            }
        }
        return embeddings.toArray(float[][]::new);
    }

    private int firstEndOfText(long[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == tokenizer.eosTokenId()) {
                return i;
            }
        }
        throw new IllegalStateException("The tokenizer produced a sequence without end-of-text");
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
