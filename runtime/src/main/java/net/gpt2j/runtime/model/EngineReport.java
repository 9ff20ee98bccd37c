package net.gpt2j.runtime.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the PyTorch engine found on this machine: its version, where its native libraries came from,
 * the GPUs it sees, its threads, and, when it sees no GPU, why. For {@code gpt2 env} and for the
 * one-line "runs on" notice every model-running command prints.
 */
public final class EngineReport {

    private static final String ENGINE = "PyTorch";

    private EngineReport() {}

    /** {@code name: value} lines, in the order a person checks them. Starts the engine. */
    public static List<String> lines() {
        Engine engine = Engine.getEngine(ENGINE);
        String libtorch = LibUtils.getLibtorchPath();
        String flavor = flavorOf(libtorch);
        int gpus = engine.getGpuCount();
        List<String> out = new ArrayList<>();
        out.add("engine: " + engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")");
        out.add("natives: " + libtorch + " (" + flavor + "), " + nativesSource());
        out.add("devices: cpu" + (gpus > 0 ? ", " + gpus + " CUDA GPU(s): " + engine.defaultDevice() : ""));
        out.add("cuda: " + (gpus > 0 ? "available; models run on gpu(0) unless --device cpu" : "not used: " + whyNoCuda(flavor)));
        out.add("threads: " + JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads()
                + " inter-op, " + Runtime.getRuntime().availableProcessors() + " cpus"
                + (System.getProperty("ai.djl.pytorch.num_threads") == null ? " (torch's default)"
                        : " (-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads") + ")")
                + ", " + environment("OMP_WAIT_POLICY", "unset (libgomp spins)")
                + ", " + environment("GOMP_SPINCOUNT", "unset (the policy's)"));
        out.add("malloc: " + environment("MALLOC_MMAP_THRESHOLD_", "unset (glibc's dynamic threshold)") + ", "
                + environment("MALLOC_TRIM_THRESHOLD_", "unset (glibc's dynamic threshold)")
                + " (the launcher fixes both: README, \"Device and threads\")");
        out.add("huge pages: " + environment("THP_MEM_ALLOC_ENABLE", "unset (libtorch's arrays on 4 KB pages)")
                + " (1: libtorch's large arrays on 2 MB pages; an opt-in: the load and often a fresh process's"
                + " first generation run faster, warm decode steps slower; README, \"Weights are written straight into engine memory\")");
        out.add("decode threads: " + DecodeThreads.configured() + " (" + DecodeThreads.ENV + " or -D" + DecodeThreads.PROPERTY
                + "; auto: on BLAS's products a batch-1 CPU step keeps one thread or all, whichever its first steps ran faster,"
                + " if both give the same bits; on oneDNN's, all)");
        out.add("matrix products: " + CpuProducts.configured() + " (" + CpuProducts.ENV + " or -D" + CpuProducts.PROPERTY
                + "; auto: oneDNN on the CPU where this libtorch runs it, checked at load, else BLAS; GPUs use their BLAS)");
        out.add("weight memory: " + UserSetting.read(WeightMemory.PROPERTY, WeightMemory.ENV) + " (" + WeightMemory.ENV + " or -D"
                + WeightMemory.PROPERTY + "; auto or copy: every weight copied into engine memory, where decode steps ran"
                + " fastest; mapped: on the CPU a folder's float32 weights stay in its files' pages: a faster load, less memory)");
        out.add("forward: one TorchScript call per forward (Gpt2Forward.py), graph executor optimisation "
                + (GraphExecutorSetting.optimise() ? "on (-D" + GraphExecutorSetting.PROPERTY + "=true)"
                        : "off (-D" + GraphExecutorSetting.PROPERTY + "=true turns it on)"));
        out.add(jvmLine());
        out.add("offline: " + Boolean.getBoolean("ai.djl.offline")
                + (Boolean.getBoolean("ai.djl.offline") ? " (DJL downloads nothing; GPT2_CUDA=1 lifts it)" : ""));
        return out;
    }

    /** {@code NAME=value}, or {@code NAME=} what {@code absent} says when the variable is not set. */
    private static String environment(String name, String absent) {
        String value = System.getenv(name);
        return name + "=" + (value == null ? absent : value);
    }

    /**
     * The JVM, its collectors and the flags that size its heap: the launcher's choice (README, "Device
     * and threads") decides whether every-position logits land on fresh heap pages.
     */
    static String jvmLine() {
        List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
        List<String> heapFlags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xm") || (a.startsWith("-XX:+Use") && a.endsWith("GC"))).toList();
        return "jvm: Java " + Runtime.version() + ", " + String.join(" + ", collectors) + ", heap max "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB"
                + (heapFlags.isEmpty() ? " (no heap flags given)" : " (" + String.join(" ", heapFlags) + ")");
    }

    /**
     * E.g. "models run on cpu (PyTorch 2.7.1, 1 threads)": for a command that builds several models
     * with one device choice ({@code verify}, {@code pipeline}), said once before the first.
     */
    public static String runsOn(DeviceChoice choice) {
        Engine engine = Engine.getEngine(ENGINE);
        return String.format(Locale.ROOT, "models run on %s (%s %s, %d threads)", choice.resolve(engine),
                engine.getEngineName(), engine.getVersion(), JniUtils.getNumThreads());
    }

    /** E.g. "model on cpu (PyTorch 2.7.1, 2 threads)": what a command prints on stderr before it runs a model. */
    public static String runsOn(Gpt2Model model) {
        Engine engine = Engine.getEngine(ENGINE);
        return String.format(Locale.ROOT, "model on %s (%s %s, %d threads)", model.device(), engine.getEngineName(),
                engine.getVersion(), JniUtils.getNumThreads());
    }

    /** "cpu", "cu124"... from DJL's folder name ({@code 2.7.1-20250812-cpu-linux-x86_64}) or PYTORCH_FLAVOR. */
    static String flavorOf(String libtorchPath) {
        String env = System.getenv("PYTORCH_FLAVOR");
        if (env != null && !env.isBlank()) {
            return env + " (PYTORCH_FLAVOR)";
        }
        String folder = Path.of(libtorchPath).getFileName().toString();
        for (String part : folder.split("-")) {
            if (part.equals("cpu") || part.startsWith("cu")) {
                return part;
            }
        }
        return "flavor unknown";
    }

    private static String nativesSource() {
        if (System.getenv("PYTORCH_LIBRARY_PATH") != null) {
            return "from PYTORCH_LIBRARY_PATH";
        }
        if (EngineReport.class.getClassLoader().getResource("pytorch/cpu/linux-x86_64/libc10.so") != null) {
            return "unpacked from the pytorch-native-cpu jar on the classpath";
        }
        return "downloaded by DJL into its cache";
    }

    private static String whyNoCuda(String flavor) {
        if (flavor.startsWith("cpu")) {
            boolean driver = Files.exists(Path.of("/proc/driver/nvidia/version"));
            return "the natives are CPU-only"
                    + (driver ? " though an NVIDIA driver is loaded: run with GPT2_CUDA=1 (DJL fetches the CUDA natives;"
                            + " needs internet once) or point PYTORCH_LIBRARY_PATH at a CUDA libtorch (README, GPU)"
                            : "; no NVIDIA driver is loaded (/proc/driver/nvidia/version is absent)");
        }
        return "the natives are " + flavor + " but the engine sees no GPU (driver, CUDA_VISIBLE_DEVICES,"
                + " or libcudart not on LD_LIBRARY_PATH / -Djna.library.path)";
    }
}
