package io.github.clipage.clip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the state dict in a {@code pytorch_model.bin} written by {@code torch.save} (PyTorch 1.6 or
 * later): a zip archive with the pickled dict in {@code {archive}/data.pkl} and each tensor storage
 * in {@code {archive}/data/{key}}.
 *
 * <p>The pickle runs on {@link PickleMachine}, which resolves only the globals that a state dict
 * needs ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter}, {@code torch.device} and the typed storage classes). Any
 * other global is rejected before it is called, so reading a checkpoint never runs code from it.
 */
public final class PytorchCheckpointReader {

    private static final Map<String, TensorType> STORAGE_TYPES = Map.of(
            "FloatStorage", TensorType.F32,
            "HalfStorage", TensorType.F16,
            "BFloat16Storage", TensorType.BF16,
            "DoubleStorage", TensorType.F64,
            "LongStorage", TensorType.I64,
            "IntStorage", TensorType.I32,
            "ByteStorage", TensorType.U8,
            "CharStorage", TensorType.I8,
            "BoolStorage", TensorType.BOOL);

    private PytorchCheckpointReader() {
    }

    /** Storage class named in the pickle, such as {@code torch.FloatStorage}. */
    private record StorageType(TensorType type) {
    }

    /** One storage entry of the archive: the raw bytes that one or more tensors view. */
    private record Storage(String key, TensorType type, ByteBuffer bytes, ByteOrder order) {
        long elementCount() {
            return bytes.capacity() / type.byteSize();
        }
    }

    /** A tensor rebuilt from its storage, still without the name that the dict gives it. */
    private record Tensor(TensorType type, long[] shape, ByteBuffer data) {
    }

    /**
     * Reads every tensor of the state dict, in the order of the file.
     *
     * @throws PickleException when the pickle requests a global outside the allow-list, is
     *     malformed, or the top-level object is not a dict of tensors
     * @throws IOException when the file cannot be read or is not a complete zip archive
     */
    public static Map<String, CheckpointTensor> read(Path file) throws IOException {
        try (ZipFile zip = openZip(file)) {
            String archive = findArchive(zip, file);
            ByteOrder order = readByteOrder(zip, archive, file);
            byte[] pickle = readEntry(zip, archive + "/data.pkl", file);

            Resolver resolver = new Resolver(zip, archive, order, file);
            Object root = PickleMachine.load(pickle, resolver, file + " (" + archive + "/data.pkl)");
            return collectTensors(root, file);
        }
    }

    private static ZipFile openZip(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            if (startsWithPickle(file)) {
                throw new PickleException(file + " is a legacy PyTorch checkpoint (saved before PyTorch 1.6 or with"
                        + " _use_new_zipfile_serialization=False), which is not supported. Save it again with torch.save"
                        + " from PyTorch 1.6 or later, or use model.safetensors", e);
            }
            throw new PickleException(file + " is not a complete zip archive (" + e.getMessage() + "). A checkpoint that"
                    + " torch.save writes is a zip archive, so this file is truncated or corrupted: download it again", e);
        }
    }

    private static boolean startsWithPickle(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            // A legacy checkpoint starts with the pickle PROTO opcode 0x80.
            return in.read() == 0x80;
        }
    }

    /** Finds the top-level folder that contains {@code data.pkl}; torch names it after the file. */
    private static String findArchive(ZipFile zip, Path file) throws PickleException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash).equals("/data.pkl")) {
                return name.substring(0, slash);
            }
        }
        throw new PickleException(file + " has no {archive}/data.pkl entry, so it is not a checkpoint written by torch.save");
    }

    private static ByteOrder readByteOrder(ZipFile zip, String archive, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(archive + "/byteorder");
        if (entry == null) {
            // PyTorch before 2.1 writes no byteorder entry and stored storages in the writer's native, in practice little-endian, order.
            return ByteOrder.LITTLE_ENDIAN;
        }
        String value = new String(readEntry(zip, entry.getName(), file), StandardCharsets.US_ASCII).trim();
        return switch (value) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new PickleException(file + " has an invalid byteorder entry '" + value + "'; expected 'little' or 'big'");
        };
    }

    private static byte[] readEntry(ZipFile zip, String name, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new PickleException(file + " has no entry " + name + "; the file is truncated or corrupted");
        }
        // Limitation: each storage is copied onto the heap, so reading a checkpoint needs about its size in free heap.
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw new PickleException("Reading " + name + " from " + file + " failed (" + e.getMessage()
                    + "); the file is corrupted: download it again", e);
        }
    }

    private static Map<String, CheckpointTensor> collectTensors(Object root, Path file) throws PickleException {
        if (!(root instanceof Map<?, ?> stateDict)) {
            throw new PickleException(file + " contains a " + typeName(root) + ", not a state dict of tensors");
        }
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : stateDict.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw new PickleException(file + " has a state dict key of type " + typeName(entry.getKey()) + ", not a string");
            }
            if (!(entry.getValue() instanceof Tensor tensor)) {
                throw new PickleException(file + " maps '" + name + "' to a " + typeName(entry.getValue())
                        + ", not a tensor; only a flat state dict of tensors, as Module.state_dict() returns, is supported");
            }
            tensors.put(name, new CheckpointTensor(name, tensor.type(), tensor.shape(), tensor.data()));
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static String typeName(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }

    /** The allow-list of globals, and the loader of storages from the zip archive. */
    private static final class Resolver implements PickleMachine.Resolver {

        private final ZipFile zip;
        private final String archive;
        private final ByteOrder order;
        private final Path file;
        private final Map<String, Storage> storages = new HashMap<>();

        Resolver(ZipFile zip, String archive, ByteOrder order, Path file) {
            this.zip = zip;
            this.archive = archive;
            this.order = order;
            this.file = file;
        }

        @Override
        public Object findGlobal(String module, String name) throws PickleException {
            String global = module + "." + name;
            if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) {
                return new StorageType(STORAGE_TYPES.get(name));
            }
            return switch (global) {
                case "collections.OrderedDict" -> (PickleMachine.PickleCallable) this::newOrderedDict;
                case "torch._utils._rebuild_tensor_v2" -> (PickleMachine.PickleCallable) this::rebuildTensor;
                case "torch._utils._rebuild_parameter" -> (PickleMachine.PickleCallable) this::rebuildParameter;
                case "torch.device" -> (PickleMachine.PickleCallable) args -> String.valueOf(args.isEmpty() ? null : args.get(0));
                default -> throw new PickleException(file + " requests the Python global '" + global + "', which is not"
                        + " allowed: a checkpoint must never run code, and a state dict needs only tensors and OrderedDict."
                        + " Do not load this file with torch.load or pickle unless its source is trusted");
            };
        }

        @Override
        public Object persistentLoad(Object persistentId) throws PickleException {
            // ('storage', storage_type, key, location, numel)
            if (!(persistentId instanceof List<?> id) || id.size() < 3 || !"storage".equals(id.get(0))
                    || !(id.get(1) instanceof StorageType storageType) || !(id.get(2) instanceof String key)) {
                throw new PickleException(file + " has a persistent id " + persistentId
                        + " that is not ('storage', type, key, location, numel)");
            }
            Storage storage = storages.get(key);
            if (storage == null) {
                storage = loadStorage(key, storageType.type());
                storages.put(key, storage);
            }
            if (storage.type() != storageType.type()) {
                throw new PickleException(file + " reads storage " + key + " as both " + storage.type() + " and " + storageType.type());
            }
            return storage;
        }

        private Storage loadStorage(String key, TensorType type) throws PickleException {
            byte[] bytes;
            try {
                bytes = readEntry(zip, archive + "/data/" + key, file);
            } catch (PickleException e) {
                throw e;
            } catch (IOException e) {
                throw new PickleException("Reading storage " + key + " from " + file + " failed: " + e.getMessage(), e);
            }
            if (bytes.length % type.byteSize() != 0) {
                throw new PickleException(file + " has a storage " + key + " of " + bytes.length
                        + " bytes, which is not a whole number of " + type + " elements");
            }
            return new Storage(key, type, ByteBuffer.wrap(bytes), order);
        }

        private Object newOrderedDict(List<Object> args) throws PickleException {
            if (!args.isEmpty()) {
                throw new PickleException(file + " builds an OrderedDict from arguments, which a state dict does not do");
            }
            return new LinkedHashMap<>();
        }

        /** Rebuilds a tensor from {@code (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
        private Object rebuildTensor(List<Object> args) throws PickleException {
            if (args.size() < 4 || !(args.get(0) instanceof Storage storage) || !(args.get(1) instanceof Long storageOffset)) {
                throw new PickleException(file + " calls _rebuild_tensor_v2 with unexpected arguments " + describe(args));
            }
            long[] shape = longs(args.get(2), "size");
            long[] stride = longs(args.get(3), "stride");
            if (shape.length != stride.length) {
                throw new PickleException(file + " has a tensor with size " + Arrays.toString(shape) + " but stride "
                        + Arrays.toString(stride));
            }
            return new Tensor(storage.type(), shape, PickleTensorLayout.toRowMajor(storage.bytes(), storage.order(),
                    storage.type().byteSize(), storageOffset, shape, stride, file + " storage " + storage.key()));
        }

        /** Unwraps {@code (data, requires_grad, backward_hooks)} of an {@code nn.Parameter} to its tensor. */
        private Object rebuildParameter(List<Object> args) throws PickleException {
            if (args.isEmpty() || !(args.get(0) instanceof Tensor tensor)) {
                throw new PickleException(file + " calls _rebuild_parameter with unexpected arguments " + describe(args));
            }
            return tensor;
        }

        private long[] longs(Object value, String what) throws PickleException {
            if (!(value instanceof List<?> list)) {
                throw new PickleException(file + " has a tensor " + what + " that is a " + typeName(value) + ", not a tuple");
            }
            long[] result = new long[list.size()];
            for (int i = 0; i < result.length; i++) {
                if (!(list.get(i) instanceof Long number) || number < 0) {
                    throw new PickleException(file + " has a tensor " + what + " " + list + " with an entry that is not a non-negative integer");
                }
                result[i] = number;
            }
            return result;
        }

        private static String describe(List<Object> args) {
            return args.stream().map(PytorchCheckpointReader::typeName).toList().toString();
        }
    }
}
