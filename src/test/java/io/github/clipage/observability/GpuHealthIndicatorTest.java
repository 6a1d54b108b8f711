package io.github.clipage.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import java.lang.management.MemoryUsage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/** Feeds the GPU indicator fixed device readings, since this machine has no GPU. */
class GpuHealthIndicatorTest {

    private static final long GIB = 1L << 30;

    private static GpuProbe probe(boolean visible, long usedBytes, long totalBytes) {
        return new GpuProbe() {
            @Override
            public boolean isVisible(Device device) {
                return visible;
            }

            @Override
            public MemoryUsage memory(Device device) {
                return new MemoryUsage(-1, usedBytes, usedBytes, totalBytes);
            }
        };
    }

    private static Health health(GpuProbe probe, Throwable lastFailure) {
        return new GpuHealthIndicator(Device.gpu(0), DataSize.ofMegabytes(256), probe, () -> lastFailure).health();
    }

    @Test
    void upWithMemoryAboveFloor() {
        Health health = health(probe(true, 2 * GIB, 16 * GIB), null);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("device", "gpu(0)")
                .containsEntry("visible", true)
                .containsEntry("memoryUsedBytes", 2 * GIB)
                .containsEntry("memoryTotalBytes", 16 * GIB)
                .containsEntry("memoryFreeBytes", 14 * GIB)
                .containsEntry("memoryFloorBytes", 256L << 20)
                .doesNotContainKey("lastCudaError");
    }

    @Test
    void downWhenFreeMemoryBelowFloor() {
        Health health = health(probe(true, 16 * GIB - (100L << 20), 16 * GIB), null);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("memoryFreeBytes", 100L << 20);
    }

    @Test
    void downWhenDeviceNotVisible() {
        Health health = health(probe(false, 0, 0), null);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("visible", false);
    }

    @Test
    void showsLastCudaErrorFromCause() {
        Throwable failure = new IllegalStateException("batch failed",
                new EngineException("CUDA error: an illegal memory access was encountered"));

        Health health = health(probe(true, GIB, 16 * GIB), failure);

        assertThat(health.getDetails())
                .containsEntry("lastCudaError", "CUDA error: an illegal memory access was encountered");
    }
}
