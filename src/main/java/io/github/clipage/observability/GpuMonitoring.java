package io.github.clipage.observability;

import ai.djl.Device;
import io.github.clipage.prediction.AgeEstimator;
import io.github.clipage.serving.ServingProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.stereotype.Component;

/**
 * Registers the GPU health indicator and the GPU memory gauges when the model runs on a GPU, and
 * nothing on a CPU. The device is known only once the model is loaded ({@code auto} picks it), so
 * the indicator is registered here rather than declared as a bean.
 */
@Component
public class GpuMonitoring {

    /** Gauge of the bytes of GPU memory in use, tagged with {@code device}. */
    public static final String MEMORY_USED = "age.gpu.memory.used";

    /** Gauge of the bytes of GPU memory in all, tagged with {@code device}. */
    public static final String MEMORY_TOTAL = "age.gpu.memory.total";

    /** Name of the health indicator in the health endpoint and the readiness group. */
    public static final String HEALTH_NAME = "gpu";

    private static final Logger log = LoggerFactory.getLogger(GpuMonitoring.class);

    private final boolean active;

    /** Registers the indicator and the gauges if the estimator's device is a GPU. */
    public GpuMonitoring(AgeEstimator estimator, ServingProperties serving, HealthContributorRegistry healthRegistry,
            MeterRegistry meterRegistry) {
        Device device = estimator.device();
        this.active = device.isGpu();
        if (!active) {
            return;
        }
        GpuProbe probe = GpuProbe.libtorch();
        healthRegistry.registerContributor(HEALTH_NAME,
                new GpuHealthIndicator(device, serving.gpuMemoryFloor(), probe, estimator.queue()::lastFailure));
        registerMemoryGauge(meterRegistry, MEMORY_USED, "GPU memory in use", device, d -> probe.memory(d).getUsed());
        registerMemoryGauge(meterRegistry, MEMORY_TOTAL, "GPU memory in all", device, d -> probe.memory(d).getMax());
        log.info("GPU health and memory metrics are on for {}", device);
    }

    /** Returns whether the model runs on a GPU, so that the GPU indicator and gauges exist. */
    public boolean isActive() {
        return active;
    }

    private static void registerMemoryGauge(
            MeterRegistry registry, String name, String description, Device device, ToDoubleFunction<Device> bytes) {
        Gauge.builder(name, device, d -> {
                    try {
                        return bytes.applyAsDouble(d);
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description(description)
                .baseUnit("bytes")
                .tag("device", device.toString())
                .strongReference(true)
                .register(registry);
    }
}
