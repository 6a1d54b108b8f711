package io.github.clipage.serving;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How requests reach the model ({@code age.serving.*}).
 *
 * @param predictors number of DJL predictors, and so of images computed at once
 * @param acquireTimeout how long a request waits for a free predictor before it is answered 503
 */
@Validated
@ConfigurationProperties("age.serving")
public record ServingProperties(@Min(1) @Max(64) int predictors, @NotNull Duration acquireTimeout) {}
