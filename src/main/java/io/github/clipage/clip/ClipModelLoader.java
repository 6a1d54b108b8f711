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
        ImageProcessorConfig imageProcessorConfig =
                ImageProcessorConfig.readOrDefault(checkpoint.directory(), config.vision().imageSize());
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
            return new ClipModel(model, block, tokenizer, dataType, imageProcessorConfig);
        } catch (RuntimeException | IOException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * A device and why it was chosen, for the start-up log.
     *
     * @param device the device
     * @param reason how the setting led to it
     */
    public record DeviceChoice(Device device, String reason) {}

    /**
     * Chooses the device for a setting: {@code auto} (the first GPU if libtorch sees one, else
     * the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}.
     *
     * @throws IllegalArgumentException for an invalid setting, or a GPU that libtorch does not see
     */
    public static DeviceChoice chooseDevice(String setting) {
        String value = setting.trim().toLowerCase(Locale.ROOT);
        int gpuCount = value.equals("cpu") ? 0 : Engine.getEngine(ENGINE).getGpuCount();
        if (value.equals("auto")) {
            return gpuCount > 0
                    ? new DeviceChoice(Device.gpu(), "auto: libtorch sees " + gpuCount + " GPU(s)")
                    : new DeviceChoice(Device.cpu(), "auto: libtorch sees no GPU");
        }
        if (value.equals("cpu")) {
            return new DeviceChoice(Device.cpu(), "configured");
        }
        int index = gpuIndex(value, setting);
        if (index >= gpuCount) {
            throw new IllegalArgumentException("age.model.device is " + setting + " but libtorch sees " + gpuCount
                    + " GPU(s). Use a CUDA build of libtorch (the CUDA image) on a machine with the GPU, or set"
                    + " age.model.device to auto or cpu");
        }
        return new DeviceChoice(Device.gpu(index), "configured; libtorch sees " + gpuCount + " GPU(s)");
    }

    private static int gpuIndex(String value, String setting) {
        if (value.equals("gpu") || value.equals("cuda")) {
            return 0;
        }
        if (value.startsWith("gpu:") || value.startsWith("cuda:")) {
            String index = value.substring(value.indexOf(':') + 1);
            if (index.matches("\\d{1,3}")) {
                return Integer.parseInt(index);
            }
        }
        throw new IllegalArgumentException(
                "Invalid device \"" + setting + "\": use auto, cpu, gpu or gpu:N with N the GPU index");
    }

    /**
     * Parses a dtype setting: {@code float32}, {@code float16} or {@code bfloat16}.
     *
     * @throws IllegalArgumentException for another value, or for half precision on the CPU, which
     *     libtorch runs slowly there and which has not been shown to give float32's ages
     */
    public static DataType parseDataType(String setting, Device device) {
        DataType dataType = switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "float32", "fp32" -> DataType.FLOAT32;
            case "float16", "fp16", "half" -> DataType.FLOAT16;
            case "bfloat16", "bf16" -> DataType.BFLOAT16;
            default -> throw new IllegalArgumentException(
                    "Invalid dtype \"" + setting + "\": use float32, float16 or bfloat16");
        };
        if (dataType != DataType.FLOAT32 && !device.isGpu()) {
            throw new IllegalArgumentException("age.model.dtype " + setting + " is refused on the CPU: it is slower"
                    + " there than float32 and has not been shown to give the same ages. Use float32 on the CPU");
        }
        return dataType;
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
