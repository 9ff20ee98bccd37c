package net.gpt2j.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * How many of libtorch's intra-op threads a decode step (one new token per row) runs on, on the CPU.
 *
 * <p>A step's matrix products read every weight once per token: memory-bound, and on some machines
 * one core already streams as fast as all of them. Its other ops are tiny, yet several of them
 * (softmax, exp, a batched product) still hand work to the thread pool, and the first hand-off after
 * a BLAS call waits for a sleeping worker. Where extra threads buy the products nothing, they cost
 * the step that. So by default ({@code auto}) the first decode steps of each batch size are timed on
 * one thread and on all ({@link ThreadTrial}) and the faster count is kept. Only if the count does not
 * change the results: the trial's first step runs on both and their logits must be the same bits
 * (for one row on BLAS's products they are on this project's machines, {@code DecodeThreadsTest}; for
 * several rows BLAS blocks the rows differently per thread count, and oneDNN's products, the CPU's
 * default ({@link CpuProducts}), split even one row across threads: there they are not), else all
 * threads are kept, so a generation's output never depends on a timing. Prefills and full forwards always run on all threads.
 *
 * <p>{@value #PROPERTY} (or the environment's {@value #ENV}) overrides: {@code auto}, {@code all}
 * (never change the caller's count) or a number. The setting is libtorch's per-thread one: it is set
 * on the calling thread for the step and restored after it, so other threads are not affected, with
 * one exception: libtorch also remembers the last count set as the one a thread adopts at its first
 * parallel op, so a thread that starts using the engine during another thread's step starts with
 * that step's count ({@code gpt2j.decode_threads=all} rules this out). GPUs are not affected at all.
 */
final class DecodeThreads {

    static final String PROPERTY = "gpt2j.decode_threads";
    static final String ENV = "GPT2_DECODE_THREADS";

    private final boolean cpu;
    private final String setting;
    private final Integer fixed;
    /** The step's products run on oneDNN ({@link CpuProducts}): {@code auto} then keeps all threads, untried. */
    private final boolean oneDnnProducts;
    /** Which trial a step belongs to: its batch size and the caller's thread count. */
    private record TrialKey(int rows, int callers) implements Comparable<TrialKey> {
        @Override
        public int compareTo(TrialKey other) {
            return rows != other.rows ? Integer.compare(rows, other.rows) : Integer.compare(callers, other.callers);
        }

        @Override
        public String toString() {
            return rows + (rows == 1 ? " row" : " rows");
        }
    }

    private final Map<TrialKey, ThreadTrial> trials = new ConcurrentHashMap<>();

    DecodeThreads(Device device) {
        this(device, configured());
    }

    DecodeThreads(Device device, String setting) {
        this(!device.isGpu(), setting.trim().toLowerCase(Locale.ROOT), false);
    }

    private DecodeThreads(boolean cpu, String setting, boolean oneDnnProducts) {
        this.cpu = cpu;
        this.setting = setting;
        this.fixed = parse(setting);
        this.oneDnnProducts = oneDnnProducts;
    }

    /**
     * This policy for a forward whose products run on oneDNN (or not). On oneDNN {@code auto} runs
     * every step on the caller's threads without a trial: oneDNN splits even one row's product across
     * threads, so one thread's logits differ in the last bits and the trial's check could only end in
     * "all threads" after running a step twice (about 90 ms of a fresh process's first generation, in
     * a throwaway harness on the 124M hub folder); one thread was also slower for those products
     * (docs/DECISIONS.md, "oneDNN for the CPU's matrix products"). A number still fixes the count.
     */
    DecodeThreads forProducts(boolean oneDnn) {
        return new DecodeThreads(cpu, setting, oneDnn);
    }

    /** The user's setting: the property, else the environment variable, else {@code auto}. */
    static String configured() {
        return UserSetting.read(PROPERTY, ENV);
    }

    private static Integer parse(String setting) {
        if (setting.equals("auto") || setting.equals("all")) {
            return null;
        }
        try {
            int n = Integer.parseInt(setting);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PROPERTY + " (or " + ENV + ") is '" + setting
                + "': expected auto, all or a thread count of at least 1");
    }

    /**
     * Runs one decode step of {@code rows} rows on the thread count this policy picks. {@code step}
     * must be repeatable: the trial's first step runs it twice (it rewrites the same cache slots).
     */
    NDArray run(int rows, Supplier<NDArray> step) {
        if (!cpu || setting.equals("all") || (oneDnnProducts && fixed == null)) {
            return step.get();
        }
        int callers = JniUtils.getNumThreads();
        if (fixed != null) {
            return on(fixed, callers, step);
        }
        if (callers < 2) {
            return step.get();
        }
        ThreadTrial trial = trials.computeIfAbsent(new TrialKey(rows, callers), k -> new ThreadTrial(callers));
        if (trial.decided()) {
            return on(trial.next(), callers, step);
        }
        if (trial.needsCheck()) {
            NDArray one = on(1, callers, step);
            NDArray all = step.get(); // the same step again: it rewrites the same cache slots with its own values
            try (one) {
                trial.checked(sameBits(Gpt2Model.hostView(one), Gpt2Model.hostView(all)));
            }
            return all;
        }
        int threads = trial.next();
        long start = System.nanoTime();
        NDArray out = on(threads, callers, step);
        trial.record(threads, System.nanoTime() - start);
        return out;
    }

    private static boolean sameBits(FloatBuffer a, FloatBuffer b) {
        if (a.remaining() != b.remaining()) {
            return false;
        }
        for (int i = a.position(), j = b.position(); i < a.limit(); i++, j++) {
            if (Float.floatToRawIntBits(a.get(i)) != Float.floatToRawIntBits(b.get(j))) {
                return false;
            }
        }
        return true;
    }

    private static <T> T on(int threads, int callers, Supplier<T> step) {
        if (threads == callers) {
            return step.get();
        }
        JniUtils.setNumThreads(threads);
        try {
            return step.get();
        } finally {
            JniUtils.setNumThreads(callers);
        }
    }

    /** The policy and, under {@code auto}, each batch size's decision so far, for {@code -v} and benchmarks. */
    String describe() {
        if (!cpu) {
            return "decode threads: the GPU's (" + PROPERTY + " applies to the CPU only)";
        }
        if (!setting.equals("auto")) {
            return "decode threads: " + setting + " (" + PROPERTY + ")";
        }
        if (oneDnnProducts) {
            return "decode threads: auto; all, untried: oneDNN's products split a row across threads, so the count"
                    + " would change the bits";
        }
        if (trials.isEmpty()) {
            return "decode threads: auto; no decode step yet had more than one thread to choose from";
        }
        StringBuilder out = new StringBuilder("decode threads: auto");
        new TreeMap<>(trials).forEach((key, trial) -> out.append("; ").append(key).append(": ").append(trial.describe()));
        return out.toString();
    }
}
