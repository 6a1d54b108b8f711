package io.github.clipage.observability;

import ai.djl.Device;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.unit.DataSize;

/**
 * Health of the model's GPU ({@code gpu}, part of the readiness group, registered only when the
 * model runs on a GPU): DOWN when libtorch can no longer use the device, when its memory cannot be
 * read, or when its free memory is below the configured floor. The last CUDA error a forward pass
 * raised, if any, is shown in the details.
 */
public class GpuHealthIndicator implements HealthIndicator {

    // Long CUDA messages carry a stack trace of native frames, of no use to an operator.
    private static final int MAX_ERROR_LENGTH = 300;

    private final Device device;
    private final DataSize memoryFloor;
    private final GpuProbe probe;
    private final Supplier<Throwable> lastFailure;

    /**
     * Creates the indicator.
     *
     * @param memoryFloor the free memory below which the device is DOWN
     * @param lastFailure the last exception of a forward pass, or null
     */
    public GpuHealthIndicator(Device device, DataSize memoryFloor, GpuProbe probe, Supplier<Throwable> lastFailure) {
        this.device = device;
        this.memoryFloor = memoryFloor;
        this.probe = probe;
        this.lastFailure = lastFailure;
    }

    @Override
    public Health health() {
        Health.Builder builder = Health.up().withDetail("device", device.toString());
        String cudaError = lastCudaError();
        if (cudaError != null) {
            builder.withDetail("lastCudaError", cudaError);
        }
        if (!probe.isVisible(device)) {
            return builder.down().withDetail("visible", false).build();
        }
        builder.withDetail("visible", true);

        MemoryUsage memory;
        try {
            memory = probe.memory(device);
        } catch (RuntimeException e) {
            return builder.down().withDetail("memoryError", truncate(String.valueOf(e.getMessage()))).build();
        }
        long free = memory.getMax() - memory.getUsed();
        builder.withDetail("memoryUsedBytes", memory.getUsed())
                .withDetail("memoryTotalBytes", memory.getMax())
                .withDetail("memoryFreeBytes", free)
                .withDetail("memoryFloorBytes", memoryFloor.toBytes());
        if (free < memoryFloor.toBytes()) {
            builder.down();
        }
        return builder.build();
    }

    private String lastCudaError() {
        Throwable failure = lastFailure.get();
        while (failure != null) {
            String message = failure.getMessage();
            if (message != null && message.toUpperCase(Locale.ROOT).contains("CUDA")) {
                return truncate(message);
            }
            failure = failure.getCause();
        }
        return null;
    }

    private static String truncate(String message) {
        return message.length() <= MAX_ERROR_LENGTH ? message : message.substring(0, MAX_ERROR_LENGTH) + "...";
    }
}
