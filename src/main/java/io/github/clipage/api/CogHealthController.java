package io.github.clipage.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health-check} in Cog's format: always 200, with the state in {@code status}.
 *
 * <p>The model is loaded while the application context starts, before the web server accepts requests, so a
 * request that gets a response at all almost always gets {@code READY}. {@code STARTING} can only be seen in the
 * moment between the server starting and the application being declared ready. Cog's {@code SETUP_FAILED} is
 * never returned because a failed start-up stops the process, and {@code BUSY} is not returned either.
 */
@RestController
@Tag(name = "Cog compatibility")
public class CogHealthController {

    private final Instant setupStartedAt;
    private volatile Instant setupCompletedAt;

    /** Creates the controller, taking the start of set-up from the application context. */
    public CogHealthController(ApplicationContext context) {
        this.setupStartedAt = Instant.ofEpochMilli(context.getStartupDate());
    }

    /** Records the end of set-up once the application is ready to serve. */
    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        setupCompletedAt = Instant.now();
    }

    /** Returns whether the service is ready, in Cog's format. */
    @GetMapping(path = "/health-check", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Readiness, Cog style",
            description = "Always 200; status is READY once the model is loaded. For Kubernetes probes prefer"
                    + " /actuator/health/readiness, which answers 503 when not ready.")
    @ApiResponse(responseCode = "200", description = "The state of the service",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CogHealth.class)))
    public CogHealth health() {
        Instant completedAt = setupCompletedAt;
        if (completedAt == null) {
            return new CogHealth("STARTING", new CogHealth.Setup(CogPrediction.format(setupStartedAt), null, "starting"));
        }
        return new CogHealth("READY", new CogHealth.Setup(
                CogPrediction.format(setupStartedAt), CogPrediction.format(completedAt), "succeeded"));
    }
}
