package io.github.clipage.clip;

import io.github.clipage.hub.HubClient;
import io.github.clipage.hub.HubException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Finds the checkpoint folder that the configuration selects. */
public final class ModelLocator {

    private ModelLocator() {}

    /**
     * A checkpoint ready to load.
     *
     * @param checkpoint the files
     * @param description where they came from, for the log and for responses
     * @param temporary whether the folder was made for this run and is deleted by {@link #deleteIfTemporary()}
     */
    public record LocatedModel(ClipCheckpoint checkpoint, String description, boolean temporary) {

        /** Deletes the folder when it was made for this run. */
        public void deleteIfTemporary() {
            if (!temporary) {
                return;
            }
            try (Stream<Path> files = Files.walk(checkpoint.directory())) {
                files.sorted(Comparator.reverseOrder()).forEach(ModelLocator::deleteFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Returns the checkpoint that the properties select: the folder {@code path} when set, the
     * demo model written to a temporary folder, or {@code id} at {@code revision} from the Hugging
     * Face cache, downloaded into it when missing unless {@code HF_HUB_OFFLINE} is set.
     *
     * @throws FileNotFoundException with a message that names the three ways to provide a model
     */
    public static LocatedModel locate(ModelProperties properties, HubClient hubClient) throws IOException {
        if (properties.path() != null) {
            if (!Files.isDirectory(properties.path())) {
                throw new FileNotFoundException("age.model.path " + properties.path().toAbsolutePath()
                        + " does not exist or is not a folder");
            }
            return new LocatedModel(ClipCheckpoint.in(properties.path()), "folder " + properties.path().toAbsolutePath(), false);
        }
        if (properties.isDemo()) {
            Path directory = Files.createTempDirectory("clip-age-demo-");
            SyntheticCheckpoint.writeDemo(directory);
            return new LocatedModel(ClipCheckpoint.in(directory), "built-in demo model with random weights", true);
        }
        Path snapshot;
        try {
            snapshot = hubClient.resolveModel(properties.id(), properties.revision());
        } catch (HubException e) {
            FileNotFoundException notFound = new FileNotFoundException(e.getMessage() + ". " + waysToProvide(hubClient));
            notFound.initCause(e);
            throw notFound;
        }
        return new LocatedModel(ClipCheckpoint.in(snapshot), "Hugging Face cache " + snapshot, false);
    }

    static String waysToProvide(HubClient hubClient) {
        return "Provide a model in one of three ways: (1) age.model.id and age.model.revision of a model in the"
                + " Hugging Face cache at " + hubClient.cache().root() + " (HF_HUB_CACHE or HF_HOME to move it), which"
                + " is downloaded when missing unless HF_HUB_OFFLINE=1; (2) age.model.path, a folder with "
                + ClipCheckpoint.CONFIG + ", " + ClipCheckpoint.TOKENIZER + " and " + ClipCheckpoint.SAFETENSORS
                + " or " + ClipCheckpoint.PYTORCH_BIN + "; (3) age.model.id=demo for the built-in demo model, whose"
                + " ages mean nothing.";
    }

    private static void deleteFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
