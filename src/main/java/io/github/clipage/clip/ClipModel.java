package io.github.clipage.clip;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded CLIP network with its tokenizer, served as a DJL {@link ZooModel}.
 *
 * <p>The model itself is shared; each thread must use its own {@link Predictor}.
 */
public final class ClipModel implements AutoCloseable {

    private final ZooModel<float[], float[]> model;
    private final ClipModelBlock block;
    private final ClipTokenizer tokenizer;
    private final DataType dataType;

    ClipModel(ZooModel<float[], float[]> model, ClipModelBlock block, ClipTokenizer tokenizer, DataType dataType) {
        this.model = model;
        this.block = block;
        this.tokenizer = tokenizer;
        this.dataType = dataType;
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

    /** Returns the device that holds the weights. */
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

    /** Encodes texts as unit-length embeddings, one row per text, in one batch. */
    public float[][] encodeTexts(List<String> texts) throws TranslateException {
        List<long[]> inputIds = new ArrayList<>(texts.size());
        for (String text : texts) {
            inputIds.add(tokenizer.encode(text));
        }
        try (Predictor<long[], float[]> predictor = model.newPredictor(new TextEmbeddingTranslator())) {
            return predictor.batchPredict(inputIds).toArray(float[][]::new);
        }
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
