package io.github.clipage.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of the service's RFC 9457 problem bodies, for the OpenAPI description only: the
 * responses themselves are Spring's {@code ProblemDetail}, whose generated schema shows fields
 * the service never sends.
 *
 * @param title a short summary of the problem type
 * @param status the HTTP status code
 * @param detail what was wrong with this request, and what to do
 * @param instance the request path
 * @param code a stable identifier of the problem to switch on
 */
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json).")
record ProblemSchema(
        @Schema(example = "Invalid image") String title,
        @Schema(example = "415") int status,
        @Schema(example = "The bytes are not a supported image (first bytes: 3C 68 74 6D 6C 3E 6E 6F); send a JPEG,"
                + " PNG, GIF, BMP, TIFF or WebP file.") String detail,
        @Schema(example = "/api/v1/age") String instance,
        @Schema(example = "unsupported-format", description = "One of empty, corrupt, zero-size, missing-part,"
                + " invalid-multipart, invalid-request, method-not-allowed, upload-too-large, request-too-large,"
                + " too-many-parts, part-header-too-large, unsupported-format, unsupported-media-type,"
                + " too-many-pixels, queue-full, timeout, shutting-down, cancelled, internal-error.") String code) {}
