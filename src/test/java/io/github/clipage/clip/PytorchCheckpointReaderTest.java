package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Reads checkpoints that tools/make_pickle_fixtures.py wrote with torch.save and compares them with torch's own values. */
class PytorchCheckpointReaderTest {

    @TempDir
    Path temp;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PytorchCheckpointReaderTest.class.getResource("/pickle/" + name).toURI());
    }

    @Test
    void stateDictMatchesTorchValues() throws Exception {
        Map<String, CheckpointTensor> tensors = PytorchCheckpointReader.read(resource("state_dict.bin"));
        JsonNode expected = new ObjectMapper().readTree(Files.readString(resource("state_dict.json")));

        List<String> expectedNames = new ArrayList<>();
        expected.propertyNames().forEach(expectedNames::add);
        assertThat(tensors.keySet()).containsExactlyElementsOf(expectedNames);

        for (String name : expectedNames) {
            JsonNode description = expected.get(name);
            CheckpointTensor tensor = tensors.get(name);
            assertThat(tensor.name()).isEqualTo(name);
            assertThat(tensor.type()).as(name).isEqualTo(typeOf(description.get("dtype").asString()));
            assertThat(tensor.shape()).as(name).containsExactly(longs(description.get("shape")));
            assertThat(values(tensor)).as(name).containsExactly(doubles(description.get("values")));
        }
    }

    @Test
    void transposedTensorIsCopiedRowMajor() throws Exception {
        CheckpointTensor transposed = PytorchCheckpointReader.read(resource("state_dict.bin")).get("transposed");

        // torch.arange(12).reshape(3, 4).t() is [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]].
        assertThat(transposed.shape()).containsExactly(4, 3);
        assertThat(values(transposed)).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
    }

    @Test
    void viewsOfOneStorageKeepTheirOffsets() throws Exception {
        Map<String, CheckpointTensor> tensors = PytorchCheckpointReader.read(resource("state_dict.bin"));

        // Both view torch.arange(20) * 0.5: elements 2..7 and 10..13.
        assertThat(values(tensors.get("view_a"))).containsExactly(1.0, 1.5, 2.0, 2.5, 3.0, 3.5);
        assertThat(values(tensors.get("view_b"))).containsExactly(5.0, 5.5, 6.0, 6.5);
    }

    @Test
    void parameterAndScalarAreRead() throws Exception {
        Map<String, CheckpointTensor> tensors = PytorchCheckpointReader.read(resource("state_dict.bin"));

        assertThat(tensors.get("parameter").shape()).containsExactly(1, 2);
        assertThat(values(tensors.get("parameter"))).containsExactly(0.25, -0.75);
        assertThat(tensors.get("scalar").shape()).isEmpty();
        assertThat(values(tensors.get("scalar"))).containsExactly((double) 4.6052f);
    }

    @Test
    void shellCommandGlobalIsRejected() {
        assertThatThrownBy(() -> PytorchCheckpointReader.read(resource("malicious.bin")))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("'posix.system'")
                .hasMessageContaining("a checkpoint must never run code");
    }

    @Test
    void truncatedZipIsReported() {
        assertThatThrownBy(() -> PytorchCheckpointReader.read(resource("truncated.bin")))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("truncated.bin is not a complete zip archive")
                .hasMessageContaining("download it again");
    }

    @Test
    void legacyCheckpointIsReported() throws IOException {
        Path legacy = temp.resolve("legacy.bin");
        Files.write(legacy, new byte[] {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a});

        assertThatThrownBy(() -> PytorchCheckpointReader.read(legacy))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("legacy PyTorch checkpoint");
    }

    @Test
    void truncatedPickleIsReported() throws Exception {
        Path checkpoint = temp.resolve("cut.bin");
        byte[] pickle = {(byte) 0x80, 0x02, '}', 'q', 0x00, '(', 'X', 0x05, 0x00, 0x00, 0x00, 'a'};
        writeZip(checkpoint, Map.of("cut/data.pkl", pickle));

        assertThatThrownBy(() -> PytorchCheckpointReader.read(checkpoint))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("cut.bin");
    }

    @Test
    void builtinsEvalViaStackGlobalIsRejected() throws Exception {
        Path checkpoint = temp.resolve("eval.bin");
        // Protocol 4: SHORT_BINUNICODE 'builtins', SHORT_BINUNICODE 'eval', STACK_GLOBAL, ... STOP.
        byte[] pickle = {(byte) 0x80, 0x04, (byte) 0x8c, 0x08, 'b', 'u', 'i', 'l', 't', 'i', 'n', 's',
                (byte) 0x8c, 0x04, 'e', 'v', 'a', 'l', (byte) 0x93, '.'};
        writeZip(checkpoint, Map.of("eval/data.pkl", pickle));

        assertThatThrownBy(() -> PytorchCheckpointReader.read(checkpoint))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("'builtins.eval'");
    }

    @Test
    void stridedCopyHandlesBigEndian() throws PickleException {
        // Storage of four big-endian int32: 1, 2, 3, 4 viewed as the transpose of [[1, 2], [3, 4]].
        ByteBuffer storage = ByteBuffer.allocate(16).putInt(1).putInt(2).putInt(3).putInt(4).flip();

        ByteBuffer rowMajor = PickleTensorLayout.toRowMajor(storage, java.nio.ByteOrder.BIG_ENDIAN, 4, 0,
                new long[] {2, 2}, new long[] {1, 2}, "test");

        assertThat(rowMajor.getInt(0)).isEqualTo(1);
        assertThat(rowMajor.getInt(4)).isEqualTo(3);
        assertThat(rowMajor.getInt(8)).isEqualTo(2);
        assertThat(rowMajor.getInt(12)).isEqualTo(4);
    }

    @Test
    void viewPastStorageEndIsRejected() {
        ByteBuffer storage = ByteBuffer.allocate(16);

        assertThatThrownBy(() -> PickleTensorLayout.toRowMajor(storage, java.nio.ByteOrder.LITTLE_ENDIAN, 4, 2,
                new long[] {3}, new long[] {1}, "test"))
                .isInstanceOf(PickleException.class)
                .hasMessageContaining("reaches element 4, but the storage has only 4");
    }

    private static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
    }

    private static TensorType typeOf(String torchDtype) {
        return switch (torchDtype) {
            case "float32" -> TensorType.F32;
            case "float16" -> TensorType.F16;
            case "bfloat16" -> TensorType.BF16;
            case "int64" -> TensorType.I64;
            case "bool" -> TensorType.BOOL;
            default -> throw new IllegalArgumentException("No TensorType for torch." + torchDtype);
        };
    }

    private static long[] longs(JsonNode array) {
        long[] result = new long[array.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = array.get(i).asLong();
        }
        return result;
    }

    private static double[] doubles(JsonNode array) {
        double[] result = new double[array.size()];
        for (int i = 0; i < result.length; i++) {
            JsonNode value = array.get(i);
            if (value.isBoolean()) {
                result[i] = value.asBoolean() ? 1 : 0;
            } else {
                result[i] = value.asDouble();
            }
        }
        return result;
    }

    /** Decodes every element to a double; float32 values widen exactly, as Python's float does. */
    private static double[] values(CheckpointTensor tensor) {
        ByteBuffer data = tensor.data();
        int count = (int) CheckpointTensor.elementCount(tensor.shape());
        double[] result = new double[count];
        for (int i = 0; i < count; i++) {
            result[i] = switch (tensor.type()) {
                case F32 -> data.getFloat(i * 4);
                case F64 -> data.getDouble(i * 8);
                case F16 -> halfToFloat(data.getShort(i * 2));
                case BF16 -> Float.intBitsToFloat((data.getShort(i * 2) & 0xFFFF) << 16);
                case I64 -> data.getLong(i * 8);
                case I32 -> data.getInt(i * 4);
                case I8 -> data.get(i);
                case U8, BOOL -> data.get(i) & 0xFF;
            };
        }
        return result;
    }

    /** Decodes IEEE 754 binary16; Float.float16ToFloat exists only from Java 20. */
    private static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0) {
            return Float.intBitsToFloat(sign) + (sign == 0 ? 1 : -1) * mantissa * 0x1p-24f;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
