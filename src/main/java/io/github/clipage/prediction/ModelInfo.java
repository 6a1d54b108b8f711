package io.github.clipage.prediction;

/**
 * The model the service runs, for responses, logs and health.
 *
 * @param id the configured model id, or the folder name for a local checkpoint
 * @param revision the configured revision, or null for a local checkpoint
 * @param source where the files came from
 * @param device the device that holds the weights, such as {@code cpu()} or {@code gpu(0)}
 * @param dataType the element type of the weights
 * @param demo whether this is the built-in demo model, whose ages mean nothing
 */
public record ModelInfo(String id, String revision, String source, String device, String dataType, boolean demo) {}
