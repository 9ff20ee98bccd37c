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
 * Where a loaded model's weights live on the CPU: in the model file's own pages (the mapping the
 * folder was read through, shared with the page cache) or in a copy in engine memory.
 *
 * <p>Why the file's pages by default: copying 500 MB of 124M weights into fresh engine memory cost a
 * fresh process more than the rest of its load together, nearly all of it in page faults on the new
 * memory, and kept a second copy of every weight beside the page cache's (docs/DECISIONS.md, "A
 * model's weights are its file's pages", with the command). HuggingFace's safetensors loading maps
 * the file the same way. What is checked stays checked: the CRC-32C and the finiteness scan read the
 * very bytes the engine then uses (the scan through the same mapping), before the model is built.
 *
 * <p>Only tensors stored as float32 whose file bytes are 4-byte aligned, on a little-endian CPU, are
 * used in place; the rest (f16/bf16 tensors converted on load, Q's pre-scaled columns, layouts the
 * model transposes, any GPU) are copied as before. The mapping is read-only: the runtime never writes
 * to a weight. A model file truncated or rewritten in place while a model uses it fails the process
 * (SIGBUS) or changes its weights; this project's converter never does that (it writes a temporary
 * folder and renames it), but {@value #PROPERTY}{@code =copy} (or {@value #ENV}) copies every weight
 * for a user whose files may change under a running model, or who keeps models on a network share.
 */
final class WeightMemory {

    static final String PROPERTY = "gpt2j.weight_memory";
    static final String ENV = "GPT2_WEIGHT_MEMORY";

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

    /** {@code setting}: {@code auto} (the file's pages where possible) or {@code copy}. */
    WeightMemory(String setting, boolean gpu) {
        String s = setting.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("auto") && !s.equals("copy")) {
            throw new IllegalArgumentException(PROPERTY + " (or " + ENV + ") is '" + setting + "': expected auto or copy");
        }
        if (s.equals("copy")) {
            whyCopies = PROPERTY + "=copy";
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
        mapped.add(bytes);
        mappedBytes += bytes.remaining();
        return array;
    }

    /** Counts {@code bytes} of a weight copied into engine memory (for {@link #description}). */
    void copied(long bytes) {
        copiedBytes += bytes;
    }

    /**
     * E.g. {@code weights: 410 MB in the model files' pages, 85 MB copied (gpt2j.weight_memory=copy to
     * copy all)} or {@code weights: 498 MB copied (on the GPU)}.
     */
    String description() {
        if (!fileBacked) {
            return "weights: " + mb(copiedBytes) + " copied (" + whyCopies + ")";
        }
        return "weights: " + mb(mappedBytes) + " in the model files' pages, " + mb(copiedBytes) + " copied ("
                + PROPERTY + "=copy to copy all)";
    }

    private static String mb(long bytes) {
        if (bytes < 1_000) {
            return bytes + " bytes";
        }
        return bytes < 1_000_000 ? Math.round(bytes / 1e3) + " kB" : Math.round(bytes / 1e6) + " MB";
    }
}
