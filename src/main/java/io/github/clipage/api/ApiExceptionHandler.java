package io.github.clipage.api;

import io.github.clipage.image.InvalidImageException;
import io.github.clipage.observability.RejectionReason;
import io.github.clipage.observability.ServingMetrics;
import io.github.clipage.serving.QueueFullException;
import io.github.clipage.serving.RequestCancelledException;
import io.github.clipage.serving.RequestTimeoutException;
import io.github.clipage.serving.ServiceBusyException;
import io.github.clipage.serving.ShuttingDownException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Locale;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Responds to every failure with an RFC 9457 problem body ({@code application/problem+json}) that
 * states what was wrong, with a {@code code} that callers can switch on. The service's own
 * exceptions are handled below; Spring's (missing part, wrong content type or method, ...) get
 * the base class's bodies, with a code and, where it helps, a clearer detail.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final DataSize maxFileSize;
    private final DataSize maxRequestSize;
    private final ObjectProvider<ServingMetrics> metrics;

    /**
     * Creates the handler with the configured upload limit, which it names in its 413 responses, and
     * the metrics that count rejected images, absent in web slice tests.
     */
    public ApiExceptionHandler(@Value("${spring.servlet.multipart.max-file-size:1MB}") DataSize maxFileSize,
            @Value("${spring.servlet.multipart.max-request-size:10MB}") DataSize maxRequestSize,
            ObjectProvider<ServingMetrics> metrics) {
        this.maxFileSize = maxFileSize;
        this.maxRequestSize = maxRequestSize;
        this.metrics = metrics;
    }

    /** Rejects bytes that are not a usable image, with the reason as {@code code}. */
    @ExceptionHandler(InvalidImageException.class)
    public ResponseEntity<ProblemDetail> handleInvalidImage(InvalidImageException e) {
        log.debug("Rejected an image: {}", e.getMessage());
        metrics.ifAvailable(m -> m.recordRejected(RejectionReason.INVALID_IMAGE));
        ProblemDetail body = ImageProblems.problemOf(e);
        return ResponseEntity.status(body.getStatus()).body(body);
    }

    /** Responds 429 with {@code Retry-After} at once when the request queue is full. */
    @ExceptionHandler(QueueFullException.class)
    public ResponseEntity<ProblemDetail> handleQueueFull(QueueFullException e) {
        log.debug("Returned 429: {}", e.getMessage());
        return retryLater(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                e.getMessage() + ". Retry later.", "queue-full", e);
    }

    /** Responds 503 with {@code Retry-After} when the request's deadline passed before its image was computed. */
    @ExceptionHandler(RequestTimeoutException.class)
    public ResponseEntity<ProblemDetail> handleTimeout(RequestTimeoutException e) {
        log.debug("Returned 503: {}", e.getMessage());
        return retryLater(HttpStatus.SERVICE_UNAVAILABLE, "Request timed out",
                e.getMessage() + ". Retry later.", "timeout", e);
    }

    /** Responds 503 with {@code Retry-After} to a request that arrives while the service shuts down. */
    @ExceptionHandler(ShuttingDownException.class)
    public ResponseEntity<ProblemDetail> handleShuttingDown(ShuttingDownException e) {
        log.debug("Returned 503: {}", e.getMessage());
        return retryLater(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down",
                e.getMessage() + ". Retry on another replica.", "shutting-down", e);
    }

    /** Responds 503 to a request whose thread was interrupted; the client has usually gone away. */
    @ExceptionHandler(RequestCancelledException.class)
    public ResponseEntity<ProblemDetail> handleCancelled(RequestCancelledException e) {
        log.debug("Request cancelled: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Request cancelled", e.getMessage(), "cancelled");
    }

    /** Rejects a multipart body that cannot be parsed. */
    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<ProblemDetail> handleMultipart(MultipartException e) {
        if (e instanceof MaxUploadSizeExceededException tooLarge) {
            return tooLarge(tooLarge);
        }
        return problem(HttpStatus.BAD_REQUEST, "Invalid multipart request",
                "The multipart/form-data body could not be read: " + e.getMessage(), "invalid-multipart");
    }

    /** Responds to anything unexpected with 500 and logs it, so that no request is left without a response. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("Request failed with an unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request failed on the server side; the error is in the service log.", "internal-error");
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(e).getBody());
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(
            MissingServletRequestPartException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String part = e.getRequestPartName();
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request has no file part named '"
                + part + "'. Send the photo as a multipart/form-data file part named " + part
                + ", for example curl -F " + part + "=@photo.jpg");
        body.setTitle("Missing image");
        body.setProperty("code", "missing-part");
        return ResponseEntity.badRequest().body(body);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : e.getPropertyName();
        String type = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName().toLowerCase(Locale.ROOT);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Parameter " + name + " is '" + e.getValue() + "', which is not a valid " + type);
        body.setTitle("Invalid request");
        body.setProperty("code", "invalid-request");
        return ResponseEntity.badRequest().body(body);
    }

    /** Adds a {@code code} to the problem bodies of Spring's own exceptions, such as 405 and 415. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body == null && e instanceof ErrorResponse errorResponse) {
            body = errorResponse.getBody();
        }
        if (body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            problem.setProperty("code", codeOf(e, statusCode));
            if (e instanceof HttpMediaTypeNotSupportedException) {
                problem.setDetail(problem.getDetail() + " Send multipart/form-data with a file part named image to the"
                        + " /api/v1 endpoints, or application/json to /predictions.");
            }
        }
        return super.handleExceptionInternal(e, body, headers, statusCode, request);
    }

    private static String codeOf(Exception e, HttpStatusCode status) {
        if (e instanceof HttpMediaTypeNotSupportedException) {
            return "unsupported-media-type";
        }
        if (e instanceof HttpRequestMethodNotSupportedException) {
            return "method-not-allowed";
        }
        if (e instanceof HttpMediaTypeNotAcceptableException) {
            return "not-acceptable";
        }
        if (e instanceof NoResourceFoundException) {
            return "not-found";
        }
        return "http-" + status.value();
    }

    private ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        UploadLimit limit = UploadLimit.of(e);
        String detail = switch (limit) {
            case FILE_SIZE -> "An image exceeds the limit of " + maxFileSize.toMegabytes()
                    + " MB per image (spring.servlet.multipart.max-file-size)";
            case REQUEST_SIZE -> "The request exceeds the limit of " + maxRequestSize.toMegabytes()
                    + " MB for all parts together (spring.servlet.multipart.max-request-size); send fewer images per request";
            case PART_COUNT -> "The request has more parts than the server accepts (server.tomcat.max-part-count);"
                    + " send fewer parts";
            case PART_HEADER -> "The headers of a part exceed the server's limit (server.tomcat.max-part-header-size);"
                    + " shorten the file name";
            case UNKNOWN -> "The upload exceeds a size limit of the server: " + e.getMessage();
        };
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large", detail, limit.code());
    }

    /** The multipart limit that stopped an upload, identified from the servlet container's exception. */
    private enum UploadLimit {
        FILE_SIZE("upload-too-large"),
        REQUEST_SIZE("request-too-large"),
        PART_COUNT("too-many-parts"),
        PART_HEADER("part-header-too-large"),
        UNKNOWN("upload-too-large");

        private final String code;

        UploadLimit(String code) {
            this.code = code;
        }

        String code() {
            return code;
        }

        // Tomcat's exception names are matched as text, so that nothing here depends on Tomcat's classes.
        static UploadLimit of(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                String name = cause.getClass().getSimpleName();
                String message = String.valueOf(cause.getMessage());
                if (name.equals("FileSizeLimitExceededException")) {
                    return FILE_SIZE;
                }
                if (name.equals("SizeLimitExceededException")) {
                    return REQUEST_SIZE;
                }
                if (name.equals("FileCountLimitExceededException")) {
                    return PART_COUNT;
                }
                if (message.contains("Header section has more than")) {
                    return PART_HEADER;
                }
            }
            return UNKNOWN;
        }
    }

    private static ResponseEntity<ProblemDetail> retryLater(
            HttpStatus status, String title, String detail, String code, ServiceBusyException e) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        body.setProperty("code", code);
        long seconds = Math.max(1, e.retryAfter().toSeconds());
        return ResponseEntity.status(status)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(body);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail, String code) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        body.setProperty("code", code);
        return ResponseEntity.status(status).body(body);
    }

}
