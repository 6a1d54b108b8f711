package io.github.clipage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.ProblemDetail;

/**
 * The outcome for one image of a batch: its estimate, or the problem that stopped it.
 *
 * @param index the image's position among the request's {@code image} parts, from 0
 * @param filename the file name the client sent, if any
 * @param status the HTTP status this image alone would have received
 * @param result the estimate, when {@code status} is 200
 * @param problem what was wrong with the image, when {@code status} is not 200
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "The outcome for one image of a batch, in the order of the request's image parts.")
public record BatchItem(
        @Schema(example = "0") int index,
        @Schema(example = "photo.jpg") String filename,
        @Schema(example = "200") int status,
        AgeResponse result,
        @Schema(implementation = ProblemSchema.class) ProblemDetail problem) {}
