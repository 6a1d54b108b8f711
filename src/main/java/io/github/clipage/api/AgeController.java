package io.github.clipage.api;

import ai.djl.translate.TranslateException;
import io.github.clipage.image.ImageProperties;
import io.github.clipage.image.InvalidImageException;
import io.github.clipage.observability.RejectionReason;
import io.github.clipage.observability.ServingMetrics;
import io.github.clipage.prediction.AgeEstimate;
import io.github.clipage.prediction.AgeEstimator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartRequest;

/** Estimates the age of the person in uploaded photographs. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Age", description = "Age estimation from a photograph with CLIP, zero-shot")
public class AgeController {

    private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final ImagePreparation preparation;
    private final AgeEstimator estimator;
    private final ImageProperties imageProperties;
    private final ServingMetrics metrics;

    /** Creates the controller. */
    public AgeController(ImagePreparation preparation, AgeEstimator estimator,
            ImageProperties imageProperties, ServingMetrics metrics) {
        this.preparation = preparation;
        this.estimator = estimator;
        this.imageProperties = imageProperties;
        this.metrics = metrics;
    }

    /** Decodes the uploaded image, runs CLIP on it and returns the age estimate. */
    @PostMapping(path = "/age", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Estimate the age of the person in a photograph",
            description = "Compares the image's CLIP embedding with the sentences \"this person is N years old\""
                    + " for N from 1 to 99. `age` is the closest age, as the reference predictor answers; the answer"
                    + " also gives the expected age, an interval and the most probable ages. The format is detected"
                    + " from the bytes: JPEG, PNG, GIF, BMP, TIFF and WebP are accepted. For several images, use"
                    + " /api/v1/ages.")
    @ApiResponse(responseCode = "200", description = "The estimated age",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AgeResponse.class)))
    @ApiResponse(responseCode = "400", description = "The image part is missing, empty, repeated or corrupt, or a parameter is invalid",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "413", description = "The upload exceeds the configured size limit",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "415", description = "The request is not multipart/form-data, or the bytes are not an image in a supported format",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "422", description = "The image has more pixels than the configured limit",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "429", description = "The request queue is full (code queue-full); retry after the Retry-After header's seconds",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "503", description = "The request waited past its deadline (code timeout) or the service is shutting down"
            + " (code shutting-down); retry after the Retry-After header's seconds",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    public AgeResponse estimateAge(
            @Parameter(description = "The photograph; one person's face or upper body works best")
                    @RequestPart("image") MultipartFile image,
            @Parameter(hidden = true) MultipartRequest request,
            @Parameter(description = "How many of the most probable ages to list (1 to the number of ages)",
                            schema = @Schema(type = "integer", minimum = "1", defaultValue = "5"))
                    @RequestParam(name = "top", required = false) Integer top,
            @Parameter(description = "Share of probability the interval contains (0.01 to 0.99)",
                            schema = @Schema(type = "number", minimum = "0.01", maximum = "0.99", defaultValue = "0.8"))
                    @RequestParam(name = "level", required = false) Double level,
            @Parameter(description = "Whether to list every age's probability",
                            schema = @Schema(type = "boolean", defaultValue = "false"))
                    @RequestParam(name = "distribution", required = false) Boolean distribution)
            throws IOException, TranslateException {
        int parts = request.getFiles("image").size();
        if (parts != 1) {
            throw new InvalidRequestException("The request has " + parts
                    + " image parts; send one to /api/v1/age, or several to /api/v1/ages");
        }
        AnswerOptions options = answerOptions(top, level, distribution);
        return AgeResponse.of(estimator.estimate(preprocess(image)), options, estimator.info());
    }

    /** Estimates the age in each uploaded image; an image that fails gets its own problem, and the others their estimates. */
    @PostMapping(path = "/ages", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Estimate the ages in several photographs",
            description = "Takes one or more `image` parts and returns an array in the same order. Each item has the"
                    + " status that image alone would have received, and either its `result` or its `problem`.")
    @ApiResponse(responseCode = "200", description = "One item per image, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = BatchItem.class))))
    @ApiResponse(responseCode = "400", description = "No image part, too many image parts, or an invalid parameter",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "415", description = "The request is not multipart/form-data",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "413", description = "An upload exceeds the configured size limit",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "429", description = "The request queue has no room for the images (code queue-full); retry after the Retry-After header's seconds",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    @ApiResponse(responseCode = "503", description = "The images waited past their deadline (code timeout) or the service is shutting down"
            + " (code shutting-down); retry after the Retry-After header's seconds",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = ProblemSchema.class)))
    public List<BatchItem> estimateAges(
            @Parameter(description = "The photographs: one file per item, each sent as a part named image")
                    @RequestPart("image") List<MultipartFile> image,
            @Parameter(description = "How many of the most probable ages to list (1 to the number of ages)",
                            schema = @Schema(type = "integer", minimum = "1", defaultValue = "5"))
                    @RequestParam(name = "top", required = false) Integer top,
            @Parameter(description = "Share of probability the interval contains (0.01 to 0.99)",
                            schema = @Schema(type = "number", minimum = "0.01", maximum = "0.99", defaultValue = "0.8"))
                    @RequestParam(name = "level", required = false) Double level,
            @Parameter(description = "Whether to list every age's probability",
                            schema = @Schema(type = "boolean", defaultValue = "false"))
                    @RequestParam(name = "distribution", required = false) Boolean distribution)
            throws IOException, TranslateException {
        int limit = imageProperties.maxImagesPerRequest();
        if (image.size() > limit) {
            throw new InvalidRequestException(
                    "The request has " + image.size() + " image parts; the limit is " + limit + " per request");
        }
        AnswerOptions options = answerOptions(top, level, distribution);

        // Decode every image first, then queue the valid ones together so that they share batches.
        BatchItem[] items = new BatchItem[image.size()];
        List<Integer> validIndices = new ArrayList<>();
        List<float[]> pixelValues = new ArrayList<>();
        for (int index = 0; index < image.size(); index++) {
            MultipartFile file = image.get(index);
            try {
                pixelValues.add(preprocess(file));
                validIndices.add(index);
            } catch (InvalidImageException e) {
                metrics.recordRejected(RejectionReason.INVALID_IMAGE);
                ProblemDetail problem = ImageProblems.problemOf(e);
                items[index] = new BatchItem(index, file.getOriginalFilename(), problem.getStatus(), null, problem);
            }
        }

        List<AgeEstimate> estimates = estimator.estimateAll(pixelValues);
        for (int i = 0; i < estimates.size(); i++) {
            int index = validIndices.get(i);
            AgeResponse result = AgeResponse.of(estimates.get(i), options, estimator.info());
            items[index] = new BatchItem(index, image.get(index).getOriginalFilename(), 200, result, null);
        }
        return List.of(items);
    }

    private AnswerOptions answerOptions(Integer top, Double level, Boolean distribution) {
        return AnswerOptions.of(top, level, distribution, estimator.prompts().ages().length);
    }

    private float[] preprocess(MultipartFile image) throws IOException {
        if (image.isEmpty()) {
            throw new InvalidImageException(InvalidImageException.Reason.EMPTY, "The image part is empty (0 bytes)");
        }
        return preparation.toPixelValues(image.getBytes());
    }
}
