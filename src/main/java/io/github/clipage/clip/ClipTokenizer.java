package io.github.clipage.clip;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CLIP's tokenizer: a {@code tokenizer.json} run by DJL's Hugging Face tokenizer, with every
 * sequence brought to the text tower's context length.
 *
 * <p>Sequences are padded with end-of-text, as Hugging Face's CLIP tokenizer pads. A text longer
 * than the context is cut and its last token set to end-of-text, as OpenAI's {@code
 * clip.tokenize(..., truncate=True)} does, so the tower still pools a complete marker.
 */
public final class ClipTokenizer implements AutoCloseable {

    /** The token that ends every CLIP text; the text tower pools at its first occurrence. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HuggingFaceTokenizer tokenizer;
    private final long eosTokenId;
    private final int contextLength;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, long eosTokenId, int contextLength) {
        this.tokenizer = tokenizer;
        this.eosTokenId = eosTokenId;
        this.contextLength = contextLength;
    }

    /** Loads a {@code tokenizer.json} for a text tower of {@code contextLength} positions. */
    public static ClipTokenizer load(Path tokenizerJson, int contextLength) throws IOException {
        long eosTokenId = findEndOfTextId(tokenizerJson);
        HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.newInstance(
                        tokenizerJson,
                        Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false"));
        ClipTokenizer clipTokenizer = new ClipTokenizer(tokenizer, eosTokenId, contextLength);

        long[] probe = tokenizer.encode("a").getIds();
        if (probe.length == 0 || probe[probe.length - 1] != eosTokenId) {
            clipTokenizer.close();
            throw new IOException(
                    "Tokenizer " + tokenizerJson + " does not end a text with " + END_OF_TEXT
                            + "; CLIP's tokenizer.json has a post-processor that appends it");
        }
        return clipTokenizer;
    }

    /** Returns the id of {@value #END_OF_TEXT}. */
    public long eosTokenId() {
        return eosTokenId;
    }

    /** Returns the number of ids in every encoded sequence. */
    public int contextLength() {
        return contextLength;
    }

    /** Encodes a text as exactly {@link #contextLength()} token ids. */
    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        if (ids.length > contextLength) {
            ids = Arrays.copyOf(ids, contextLength);
            ids[contextLength - 1] = eosTokenId;
            return ids;
        }
        long[] padded = Arrays.copyOf(ids, contextLength);
        Arrays.fill(padded, ids.length, contextLength, eosTokenId);
        return padded;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static long findEndOfTextId(Path tokenizerJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(tokenizerJson));
        } catch (JacksonException e) {
            throw new IOException("Invalid tokenizer file " + tokenizerJson + ": " + e.getOriginalMessage(), e);
        }
        for (JsonNode token : root.path("added_tokens")) {
            if (END_OF_TEXT.equals(token.path("content").asString())) {
                return token.path("id").asLong();
            }
        }
        JsonNode vocabularyId = root.path("model").path("vocab").get(END_OF_TEXT);
        if (vocabularyId != null && vocabularyId.isIntegralNumber()) {
            return vocabularyId.asLong();
        }
        throw new IOException("Tokenizer " + tokenizerJson + " has no " + END_OF_TEXT + " token, so it is not CLIP's");
    }
}
