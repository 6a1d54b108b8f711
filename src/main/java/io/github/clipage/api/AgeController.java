package io.github.clipage.api;

import ai.djl.translate.TranslateException;
import io.github.clipage.image.ClipImagePreprocessor;
import io.github.clipage.image.DecodedImage;
import io.github.clipage.image.ImageDecoder;
import io.github.clipage.image.InvalidImageException;
import io.github.clipage.prediction.AgeEstimate;
import io.github.clipage.prediction.AgeEstimator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Estimates the age of the person in an uploaded photograph. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Age", description = "Age estimation from a photograph with CLIP, zero-shot")
public class AgeController {

    private final ImageDecoder decoder;
    private final ClipImagePreprocessor preprocessor;
    private final AgeEstimator estimator;

    /** Creates the controller. */
    public AgeController(ImageDecoder decoder, ClipImagePreprocessor preprocessor, AgeEstimator estimator) {
        this.decoder = decoder;
        this.preprocessor = preprocessor;
        this.estimator = estimator;
    }

    /** Decodes the uploaded image, runs CLIP on it and returns the most probable age. */
    @PostMapping(path = "/age", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Estimate the age of the person in a photograph",
            description = "Compares the image's CLIP embedding with the sentences \"this person is N years old\""
                    + " for N from 1 to 99 and returns the closest age. The format is detected from the bytes:"
                    + " JPEG, PNG, GIF, BMP, TIFF and WebP are accepted.")
    @ApiResponse(responseCode = "200", description = "The estimated age",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AgeResponse.class)))
    @ApiResponse(responseCode = "400", description = "The image part is missing or empty, or the bytes are a corrupt image",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "The upload exceeds the configured size limit",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "415", description = "The request is not multipart/form-data, or the bytes are not an image in a supported format",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The image has more pixels than the configured limit",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "The service is busy; retry after the Retry-After header's seconds",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    public AgeResponse estimateAge(
            @Parameter(description = "The photograph, one person's face or upper body works best")
                    @RequestPart("image") MultipartFile image)
            throws IOException, TranslateException {
        if (image.isEmpty()) {
            throw new InvalidImageException(InvalidImageException.Reason.EMPTY, "The image part is empty (0 bytes)");
        }
        DecodedImage decoded = decoder.decode(image.getBytes());
        float[] pixelValues = preprocessor.toPixelValues(decoded);
        AgeEstimate estimate = estimator.estimate(pixelValues);
        return AgeResponse.of(estimate, estimator.info());
    }
}
