package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a loaded model's weights live on the CPU: copied into engine memory (the default), or, with
 * {@value #PROPERTY}{@code =mapped} (or {@value #ENV}), in the model file's own pages (the mapping the
 * folder was read through, shared with the page cache).
 *
 * <p>Why copies by default: on these machines the decode step streamed weights in the file's pages
 * slower than the same weights copied, 0.89-0.98 of the copies' rate in ten paired generations in one
 * process, and a 16-token prefill took 2-4x as long, while mapping saved 0.9-1.9 s of a 124M load and
 * about 250 MB of resident memory (docs/DECISIONS.md, "Where a model's weights live", with the commands).
 * Decode speed is what this runtime is for; {@code mapped} is there for a user who loads often, or
 * whose memory is short (a 1558M model then shares the page cache's copy instead of holding a second).
 * What is checked stays checked either way: the CRC-32C reads the very mapping the weights then use.
 *
 * <p>Under {@code mapped}, only tensors stored as float32 whose file bytes are 4-byte aligned, on a
 * little-endian CPU, are used in place; the rest (f16/bf16 tensors converted on load, Q's pre-scaled
 * columns, layouts the model transposes, any GPU) are copied. The mapping is read-only: the runtime
 * never writes to a weight. A model file truncated or rewritten in place while a model uses it fails
 * the process (SIGBUS) or changes its weights; this project's converter never does that (it writes a
 * temporary folder and renames it), but files on a network share or edited by other tools can.
 */
final class WeightMemory {

    static final String PROPERTY = "gpt2j.weight_memory";
    static final String ENV = "GPT2_WEIGHT_MEMORY";
    static final String AUTO = "auto";
    static final String COPY = "copy";
    static final String MAPPED = "mapped";

    private final boolean fileBacked;
    /** Why every weight is copied, when {@link #fileBacked} is false. */
    private final String whyCopies;
    /**
     * The mapped buffers the engine's arrays point into. DJL's arrays keep their buffer reachable
     * too; holding them here as well makes the mapping outlive every engine reference to it, whatever
     * order the model's parts are closed in.
     */
    private final List<ByteBuffer> mapped = new ArrayList<>();
    private long mappedBytes;
    private long copiedBytes;

    /** {@code setting}: {@code auto} (the default, which copies), {@code copy} or {@code mapped} (the file's pages where possible). */
    WeightMemory(String setting, boolean gpu) {
        String s = setting.trim().toLowerCase(Locale.ROOT);
        if (!s.equals(AUTO) && !s.equals(COPY) && !s.equals(MAPPED)) {
            throw new IllegalArgumentException(PROPERTY + " (or " + ENV + ") is '" + setting + "': expected "
                    + AUTO + " (the default: copy), " + COPY + " or " + MAPPED);
        }
        if (!s.equals(MAPPED)) {
            whyCopies = PROPERTY + "=" + MAPPED + " to use the files' pages";
        } else if (gpu) {
            whyCopies = "on the GPU";
        } else if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            whyCopies = "a big-endian CPU: the files hold little-endian values";
        } else {
            whyCopies = null;
        }
        this.fileBacked = whyCopies == null;
    }

    /** From the user's setting: the property, else the environment variable, else {@code auto}. */
    static WeightMemory configured(boolean gpu) {
        return new WeightMemory(UserSetting.read(PROPERTY, ENV), gpu);
    }

    /**
     * An engine array over {@code t}'s file pages, or null when it must be copied (no file bytes,
     * misaligned, a GPU, or {@code copy} asked for).
     */
    NDArray inPlace(NDManager manager, WeightTensor t) {
        ByteBuffer bytes = t.fileBytes();
        if (!fileBacked || bytes == null || bytes.alignmentOffset(0, Float.BYTES) != 0) {
            return null;
        }
        NDArray array = manager.create(bytes, new Shape(t.shape()), DataType.FLOAT32); // no copy on the CPU
        synchronized (this) { // the load's threads share the weights (LoadWorkers)
            mapped.add(bytes);
            mappedBytes += bytes.remaining();
        }
        return array;
    }

    /** Counts {@code bytes} of a weight copied into engine memory (for {@link #description}). */
    synchronized void copied(long bytes) {
        copiedBytes += bytes;
    }

    /**
     * E.g. {@code weights: 498 MB copied (gpt2j.weight_memory=mapped to use the files' pages)},
     * {@code weights: 258 MB in the model files' pages, 239 MB copied (gpt2j.weight_memory=mapped)} or
     * {@code weights: 498 MB copied (on the GPU)}.
     */
    synchronized String description() {
        if (!fileBacked) {
            return "weights: " + mb(copiedBytes) + " copied (" + whyCopies + ")";
        }
        return "weights: " + mb(mappedBytes) + " in the model files' pages, " + mb(copiedBytes) + " copied ("
                + PROPERTY + "=" + MAPPED + ")";
    }

    private static String mb(long bytes) {
        if (bytes < 1_000) {
            return bytes + " bytes";
        }
        return bytes < 1_000_000 ? Math.round(bytes / 1e3) + " kB" : Math.round(bytes / 1e6) + " MB";
    }
}
