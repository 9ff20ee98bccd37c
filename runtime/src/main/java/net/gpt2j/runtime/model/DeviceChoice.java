package net.gpt2j.runtime.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Which device the model runs on: the GPU when there is one ({@link #AUTO}), or a forced choice. */
public enum DeviceChoice {
    AUTO,
    CPU,
    CUDA;

    /** Reads {@code auto}, {@code cpu} or {@code cuda} (any case). */
    public static DeviceChoice parse(String text) {
        for (DeviceChoice d : values()) {
            if (d.name().equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device '" + text + "': expected auto, cpu or cuda");
    }

    /** The DJL device for this choice; CUDA without a GPU visible to the engine is refused, not degraded. */
    Device resolve(Engine engine) {
        int gpus = engine.getGpuCount();
        switch (this) {
            case CPU:
                return Device.cpu();
            case CUDA:
                if (gpus == 0) {
                    throw new IllegalStateException("device cuda was requested but the " + engine.getEngineName()
                            + " engine finds no CUDA GPU (are the CPU-only natives on the classpath?"
                            + " see the README's GPU section)");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }
}
