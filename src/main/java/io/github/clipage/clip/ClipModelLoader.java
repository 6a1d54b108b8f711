package io.github.clipage.clip;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/** Loads a CLIP checkpoint onto a device as a DJL model built from {@link ClipModelBlock}. */
public final class ClipModelLoader {

    /** Name of the DJL engine that runs the network. */
    public static final String ENGINE = "PyTorch";

    private ClipModelLoader() {}

    /**
     * Loads the checkpoint's configuration, tokenizer and weights.
     *
     * @param checkpoint the files to load
     * @param device where the weights live and the network runs
     * @param dataType the element type of the weights, float32 unless reduced precision is wanted
     * @throws IOException when a file cannot be read or is invalid
     * @throws CheckpointMismatchException when the weights do not match config.json
     */
    public static ClipModel load(ClipCheckpoint checkpoint, Device device, DataType dataType) throws IOException {
        ClipConfig config = ClipConfig.read(checkpoint.configFile());
        ClipTokenizer tokenizer = ClipTokenizer.load(checkpoint.tokenizerFile(), config.text().maxPositionEmbeddings());
        try {
            ClipModelBlock block = new ClipModelBlock(config);
            block.textModel().setEosTokenId(tokenizer.eosTokenId());
            ZooModel<float[], float[]> model = newZooModel(checkpoint, block, device, dataType);
            try {
                CheckpointLoader.load(block, readWeights(checkpoint), model.getNDManager(), dataType);
            } catch (RuntimeException | IOException e) {
                model.close();
                throw e;
            }
            return new ClipModel(model, block, tokenizer, dataType);
        } catch (RuntimeException | IOException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Parses a device setting: {@code auto} (the first GPU if libtorch sees one, else the CPU),
     * {@code cpu}, {@code gpu} or {@code gpu:N}.
     */
    public static Device parseDevice(String setting) {
        String value = setting.trim().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return Engine.getEngine(ENGINE).defaultDevice();
        }
        if (value.equals("cpu")) {
            return Device.cpu();
        }
        if (value.equals("gpu") || value.equals("cuda")) {
            return Device.gpu();
        }
        if (value.startsWith("gpu:") || value.startsWith("cuda:")) {
            String index = value.substring(value.indexOf(':') + 1);
            if (index.matches("\\d{1,3}")) {
                return Device.gpu(Integer.parseInt(index));
            }
        }
        throw new IllegalArgumentException(
                "Invalid device \"" + setting + "\": use auto, cpu, gpu or gpu:N with N the GPU index");
    }

    private static Map<String, CheckpointTensor> readWeights(ClipCheckpoint checkpoint) throws IOException {
        if (checkpoint.hasPytorchWeights()) {
            return PytorchCheckpointReader.read(checkpoint.weightsFile());
        }
        return SafetensorsReader.read(checkpoint.weightsFile());
    }

    private static ZooModel<float[], float[]> newZooModel(
            ClipCheckpoint checkpoint, ClipModelBlock block, Device device, DataType dataType) throws IOException {
        Criteria<float[], float[]> criteria =
                Criteria.builder()
                        .setTypes(float[].class, float[].class)
                        .optModelPath(checkpoint.directory())
                        .optModelName("clip")
                        .optEngine(ENGINE)
                        .optDevice(device)
                        .optBlock(block)
                        // The weights come from the checkpoint, not from DJL's own parameter file.
                        .optOption("hasParameter", "false")
                        .optTranslator(new ImageEmbeddingTranslator(block.config().vision().imageSize(), dataType))
                        .build();
        try {
            return criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("DJL could not create the CLIP model for " + checkpoint.directory() + ": " + e.getMessage(), e);
        }
    }
}
