package io.github.clipage.api;

import ai.djl.translate.TranslateException;
import io.github.clipage.image.InvalidImageException;
import io.github.clipage.prediction.AgeEstimate;
import io.github.clipage.prediction.AgeEstimator;
import io.github.clipage.serving.QueueFullException;
import io.github.clipage.serving.RequestCancelledException;
import io.github.clipage.serving.ServiceBusyException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /predictions} in the shape of Cog's HTTP API, so that clients of the old Python predictor only
 * change the base URL. The image goes through the same decoding, preprocessing and model as
 * {@code POST /api/v1/age}, and {@code output} is that endpoint's {@code age}.
 *
 * <p>Cog responds 200 to every finished prediction. Here a prediction that fails because of its input gets the 4xx
 * status the REST API returns for the same fault, so that no caller takes bad input for success.
 */
@RestController
@Tag(name = "Cog compatibility", description = "The HTTP API of the old Cog-served predictor: POST /predictions and GET /health-check")
public class CogController {

    private static final Logger log = LoggerFactory.getLogger(CogController.class);

    // Room for the JSON around the data URL, its media type and any other input fields.
    private static final long JSON_OVERHEAD_BYTES = 64 * 1024;
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int ID_LENGTH = 26;

    private final ImagePreparation preparation;
    private final AgeEstimator estimator;
    private final ImageUrlFetcher fetcher;
    private final JsonMapper jsonMapper;
    private final long maxImageBytes;
    private final long maxBodyBytes;
    private final SecureRandom random = new SecureRandom();

    /** Creates the controller; {@code maxFileSize} is the upload limit of the REST API, applied to data URLs too. */
    public CogController(ImagePreparation preparation, AgeEstimator estimator,
            ImageUrlFetcher fetcher, JsonMapper jsonMapper,
            @Value("${spring.servlet.multipart.max-file-size:1MB}") DataSize maxFileSize) {
        this.preparation = preparation;
        this.estimator = estimator;
        this.fetcher = fetcher;
        this.jsonMapper = jsonMapper;
        this.maxImageBytes = maxFileSize.toBytes();
        this.maxBodyBytes = CogDataUrl.maxBase64Length(maxImageBytes) + JSON_OVERHEAD_BYTES;
    }

    /** Runs one prediction on {@code input.image}, a data URL or, when enabled, an http(s) URL. */
    @PostMapping(path = "/predictions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Estimate an age, Cog style",
            description = "Takes {\"input\": {\"image\": \"data:image/jpeg;base64,...\"}} as the old Cog-served"
                    + " predictor did and responds {\"status\": \"succeeded\", \"output\": <age>}. Failures have"
                    + " \"status\": \"failed\" and an \"error\" message; unlike Cog, failures caused by the input"
                    + " get a 4xx status. Images by http(s) URL are fetched only when the operator"
                    + " enabled it for listed hosts.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = CogPredictionRequest.class),
            examples = @ExampleObject(name = "data URL", summary = "A 16 x 16 PNG as a data URL",
                    value = "{\"input\": {\"image\": \"" + CogPredictionRequest.EXAMPLE_IMAGE + "\"}}")))
    @ApiResponse(responseCode = "200", description = "The prediction succeeded; output is the age",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogPrediction.class)))
    @ApiResponse(responseCode = "400", description = "The body is not a JSON object with input.image, the data URL or its base64 is invalid, the URL is not allowed, or the image is corrupt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogPrediction.class),
                    examples = @ExampleObject(value = "{\"id\": \"c0ggw9k4hxd6f5pbbn3r1m2t7a\", \"status\": \"failed\","
                            + " \"error\": \"The request body has no input.image; send {\\\"input\\\": {\\\"image\\\": \\\"data:image/jpeg;base64,...\\\"}}.\"}")))
    @ApiResponse(responseCode = "413", description = "The body or the image is larger than the configured limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogPrediction.class)))
    @ApiResponse(responseCode = "415", description = "The bytes are not an image in a supported format",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogPrediction.class)))
    @ApiResponse(responseCode = "422", description = "The image has too many pixels, or its URL could not be fetched",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogPrediction.class)))
    @ApiResponse(responseCode = "429", description = "The request queue is full; retry after the Retry-After header's seconds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogPrediction.class)))
    @ApiResponse(responseCode = "503", description = "The prediction waited past its deadline or the service is shutting down;"
            + " retry after the Retry-After header's seconds",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogPrediction.class)))
    public ResponseEntity<CogPrediction> predict(HttpServletRequest request) {
        Instant createdAt = Instant.now();
        String id = null;
        Instant startedAt = null;
        try {
            JsonNode body = readBody(request);
            id = idOf(body);
            String image = imageOf(body);

            startedAt = Instant.now();
            int age = estimate(image).age();
            String logs = estimator.info().demo() ? AgeResponse.DEMO_WARNING : "";
            return ResponseEntity.ok(CogPrediction.succeeded(id, age, logs, createdAt, startedAt, Instant.now()));
        } catch (CogInputException e) {
            return failed(e.status(), id, e.getMessage(), createdAt, startedAt);
        } catch (InvalidImageException e) {
            return failed(ImageProblems.statusOf(e.reason()), id, e.getMessage(), createdAt, startedAt);
        } catch (ImageUrlException e) {
            return failed(statusOf(e.reason()), id, e.getMessage(), createdAt, startedAt);
        } catch (ServiceBusyException e) {
            // A full queue is the caller's cue to slow down (429); a deadline or a shutdown is the service's (503).
            HttpStatus status = e instanceof QueueFullException ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE;
            log.debug("Responded {}: {}", status.value(), e.getMessage());
            long seconds = Math.max(1, e.retryAfter().toSeconds());
            return ResponseEntity.status(status)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                    .body(CogPrediction.failed(orNewId(id), "The service is busy: " + e.getMessage() + ". Retry later.",
                            createdAt, startedAt, Instant.now()));
        } catch (RequestCancelledException e) {
            log.debug("Prediction {} cancelled: {}", id, e.getMessage());
            return failed(HttpStatus.SERVICE_UNAVAILABLE, id, e.getMessage(), createdAt, startedAt);
        } catch (IOException | TranslateException | RuntimeException e) {
            log.error("Prediction {} failed with an unexpected error", id, e);
            return failed(HttpStatus.INTERNAL_SERVER_ERROR, id,
                    "The prediction failed on the server side; the error is in the service log.", createdAt, startedAt);
        }
    }

    private AgeEstimate estimate(String image) throws TranslateException {
        byte[] bytes;
        if (CogDataUrl.isDataUrl(image)) {
            bytes = CogDataUrl.decode(image, maxImageBytes);
        } else if (ImageUrlFetcher.isHttpUrl(image)) {
            bytes = fetcher.fetch(image);
        } else {
            throw CogInputException.badRequest("input.image must be a data URL (data:image/jpeg;base64,...) or an http(s) URL, not "
                            + abbreviate(image) + ".");
        }
        return estimator.estimate(preparation.toPixelValues(bytes));
    }

    /** Reads the body up to the size limit, checking Content-Length first so a huge body is rejected unread. */
    private JsonNode readBody(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            throw new CogInputException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "POST /predictions takes a JSON body"
                    + " (Content-Type: application/json), not " + contentType.split(";")[0]
                    + "; to upload an image file, use POST /api/v1/age.");
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw bodyTooLarge();
        }
        byte[] bytes;
        try (InputStream input = request.getInputStream()) {
            // A chunked body has no Content-Length, so the limit is enforced while reading too.
            bytes = input.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        }
        if (bytes.length > maxBodyBytes) {
            throw bodyTooLarge();
        }
        if (bytes.length == 0) {
            throw CogInputException.badRequest("The request body is empty; send {\"input\": {\"image\": \"data:image/jpeg;base64,...\"}}.");
        }

        JsonNode body;
        try {
            body = jsonMapper.readTree(bytes);
        } catch (JacksonException e) {
            throw CogInputException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw CogInputException.badRequest("The request body must be a JSON object such as {\"input\": {\"image\": \"data:image/jpeg;base64,...\"}}.");
        }
        return body;
    }

    private static String imageOf(JsonNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw CogInputException.badRequest("The request body has no input; send {\"input\": {\"image\": \"data:image/jpeg;base64,...\"}}.");
        }
        if (!input.isObject()) {
            throw CogInputException.badRequest("input must be a JSON object with an image field.");
        }
        JsonNode image = input.get("image");
        if (image == null || image.isNull()) {
            throw CogInputException.badRequest("The request body has no input.image; send {\"input\": {\"image\": \"data:image/jpeg;base64,...\"}}.");
        }
        if (!image.isString()) {
            throw CogInputException.badRequest("input.image must be a string holding a data URL or an http(s) URL.");
        }
        if (image.asString().isBlank()) {
            throw CogInputException.badRequest("input.image is empty; give a data URL such as data:image/jpeg;base64,... .");
        }
        return image.asString().strip();
    }

    private String idOf(JsonNode body) {
        JsonNode id = body.get("id");
        if (id != null && id.isString() && !id.asString().isBlank()) {
            return id.asString();
        }
        return newId();
    }

    /** Generates an id as Cog recommends for its clients: 26 random base32 characters. */
    private String newId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }

    private String orNewId(String id) {
        return id != null ? id : newId();
    }

    private ResponseEntity<CogPrediction> failed(HttpStatus status, String id, String error, Instant createdAt,
            Instant startedAt) {
        log.debug("Prediction {} failed with {}: {}", id, status.value(), error);
        return ResponseEntity.status(status).body(CogPrediction.failed(orNewId(id), error, createdAt, startedAt, Instant.now()));
    }

    private CogInputException bodyTooLarge() {
        return new CogInputException(HttpStatus.CONTENT_TOO_LARGE,
                "The request body is larger than the limit of " + maxBodyBytes + " bytes, which fits an image of "
                        + maxImageBytes + " bytes as a base64 data URL.");
    }

    private static HttpStatus statusOf(ImageUrlException.Reason reason) {
        return switch (reason) {
            case NOT_ALLOWED -> HttpStatus.BAD_REQUEST;
            case FETCH_FAILED -> HttpStatus.UNPROCESSABLE_CONTENT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
        };
    }

    private static String abbreviate(String text) {
        String start = text.length() <= 40 ? text : text.substring(0, 40) + "...";
        return "'" + start.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
