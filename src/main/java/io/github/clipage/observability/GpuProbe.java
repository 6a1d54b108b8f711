package io.github.clipage.observability;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import io.github.clipage.clip.ClipModelLoader;
import java.lang.management.MemoryUsage;

/** Reads the state of a GPU, so that health and metrics can be checked without one. */
public interface GpuProbe {

    /** Returns whether libtorch can use the device. */
    boolean isVisible(Device device);

    /** Returns the device's memory: {@code getUsed()} bytes in use, {@code getMax()} bytes in all. */
    MemoryUsage memory(Device device);

    /** Returns the probe that queries the PyTorch engine and the CUDA runtime through DJL. */
    static GpuProbe libtorch() {
        return new GpuProbe() {
            @Override
            public boolean isVisible(Device device) {
                return device.getDeviceId() < Engine.getEngine(ClipModelLoader.ENGINE).getGpuCount();
            }

            @Override
            public MemoryUsage memory(Device device) {
                return CudaUtils.getGpuMemory(device);
            }
        };
    }
}
