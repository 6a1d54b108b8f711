package io.github.clipage.clip;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the CLIP checkpoint the service loads and of the device it runs on ({@code age.model.*}).
 *
 * @param id a Hugging Face model id such as {@code openai/clip-vit-base-patch32}, or {@code demo}
 *     for the tiny built-in model whose ages mean nothing
 * @param revision a branch, tag or commit of {@code id} on the Hugging Face Hub
 * @param path a local folder with {@code config.json}, {@code tokenizer.json} and {@code
 *     model.safetensors}; when set, it is used instead of {@code id}
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param dtype element type of the weights: {@code float32}, or on a GPU {@code float16} or {@code bfloat16}
 */
@Validated
@ConfigurationProperties("age.model")
public record ModelProperties(
        @NotBlank String id, @NotBlank String revision, Path path, @NotBlank String device, @NotBlank String dtype) {

    /** Returns whether the built-in demo model is selected. */
    public boolean isDemo() {
        return path == null && SyntheticCheckpoint.DEMO_MODEL_ID.equals(id);
    }
}
