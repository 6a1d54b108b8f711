package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Device, dtype and preprocessor settings, on this machine's CPU-only libtorch. */
class ModelSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void autoChoosesCpuWhenLibtorchSeesNoGpu() {
        ClipModelLoader.DeviceChoice choice = ClipModelLoader.chooseDevice("auto");

        assertThat(choice.device()).isEqualTo(Device.cpu());
        assertThat(choice.reason()).isEqualTo("auto: libtorch sees no GPU");
    }

    @Test
    void gpuThatLibtorchDoesNotSeeIsRejected() {
        assertThatThrownBy(() -> ClipModelLoader.chooseDevice("gpu:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("libtorch sees 0 GPU(s)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tpu", "gpu:", "gpu:x", "gpu:-1"})
    void invalidDeviceIsRejected(String setting) {
        assertThatThrownBy(() -> ClipModelLoader.chooseDevice(setting))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use auto, cpu, gpu or gpu:N");
    }

    @Test
    void halfPrecisionIsRefusedOnCpu() {
        assertThat(ClipModelLoader.parseDataType("float32", Device.cpu())).isEqualTo(DataType.FLOAT32);
        assertThatThrownBy(() -> ClipModelLoader.parseDataType("float16", Device.cpu()))
                .hasMessageContaining("refused on the CPU");
        assertThatThrownBy(() -> ClipModelLoader.parseDataType("bfloat16", Device.cpu()))
                .hasMessageContaining("refused on the CPU");
    }

    @Test
    void halfPrecisionIsAcceptedForGpu() {
        assertThat(ClipModelLoader.parseDataType("float16", Device.gpu())).isEqualTo(DataType.FLOAT16);
        assertThat(ClipModelLoader.parseDataType("bf16", Device.gpu())).isEqualTo(DataType.BFLOAT16);
        assertThatThrownBy(() -> ClipModelLoader.parseDataType("int8", Device.gpu()))
                .hasMessageContaining("use float32, float16 or bfloat16");
    }

    @Test
    void olderPreprocessorConfigIsRead() {
        ImageProcessorConfig config = ImageProcessorConfig.fromJson(JSON.readTree("""
                {"crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true,
                 "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": [0.5, 0.25, 0.125],
                 "image_std": [0.2, 0.3, 0.4], "resample": 3, "size": 224}"""), 224);

        assertThat(config.size()).isEqualTo(224);
        assertThat(config.mean()).containsExactly(0.5f, 0.25f, 0.125f);
        assertThat(config.std()).containsExactly(0.2f, 0.3f, 0.4f);
    }

    @Test
    void newerPreprocessorConfigIsRead() {
        ImageProcessorConfig config = ImageProcessorConfig.fromJson(JSON.readTree("""
                {"crop_size": {"height": 336, "width": 336}, "size": {"shortest_edge": 336},
                 "do_convert_rgb": true, "rescale_factor": 0.00392156862745098, "resample": 3}"""), 336);

        assertThat(config.size()).isEqualTo(336);
        assertThat(config.mean()).containsExactly(ImageProcessorConfig.OPENAI_MEAN);
        assertThat(config.std()).containsExactly(ImageProcessorConfig.OPENAI_STD);
    }

    @Test
    void preprocessingThisServiceLacksIsRejected() {
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson(JSON.readTree("{\"resample\": 2}"), 224))
                .hasMessageContaining("not bicubic");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson(
                        JSON.readTree("{\"size\": {\"shortest_edge\": 256}, \"crop_size\": 224}"), 224))
                .hasMessageContaining("resize to 256 and crop to 224 x 224 differ");
        assertThatThrownBy(() -> ImageProcessorConfig.fromJson(JSON.readTree("{\"crop_size\": 336, \"size\": 336}"), 224))
                .hasMessageContaining("does not match the image tower's image_size 224");
    }
}
