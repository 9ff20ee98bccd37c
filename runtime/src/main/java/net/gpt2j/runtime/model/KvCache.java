package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.IValue;
import net.gpt2j.format.Hparams;

/**
 * Every layer's keys and values of the tokens seen so far, for a batch of rows. Each layer's K and V
 * share one array, {@code [2, rows, heads, slots, head_dim]} (K at index 0, V at 1; uninitialised:
 * only written slots are read). The forward pass ({@code Gpt2Forward.py})
 * writes a step's new K and V with one in-place copy per layer and reads views of the first
 * {@code length} slots: with K (and V) of all rows together, rows and heads merge into one batch
 * axis without a copy, so the cache is never copied by a step. (Rows first, {@code [rows, 2, ...]},
 * made every batched step copy each layer's K and V for its products: 9% of a 5-row step.)
 *
 * <p>The arrays hold {@link #slots} tokens, grown on demand ({@link #ensureSlots}, doubling, up to the
 * cache's capacity, n_ctx for generation) rather than allocated for n_ctx at once: a short
 * generation of the 1558M model holds tens of MB, not 630. The arrays belong to a manager that lives
 * as long as the cache; the host-side mask and position bookkeeping is the {@link SequenceMask}.
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final ScriptedForward forward; // runs the reorder
    private final int heads;
    private final int headDim;
    private final int capacity;
    private int slots; // what the arrays hold now, at most capacity
    private final NDArray[] keysValues; // per layer [2, rows, H, slots, D]
    private IValue scriptView; // the arrays as one list, for the TorchScript forward
    private final SequenceMask mask;

    /**
     * A cache for up to {@code capacity} tokens per row (n_ctx for generation, the batch's length for
     * one forward), its arrays allocated for {@code slots} of them to begin with.
     */
    KvCache(NDManager parent, ScriptedForward forward, Hparams hparams, int rows, int capacity, int slots,
            ModelConfig.PositionIds positionIds) {
        if (slots < 1 || slots > capacity) {
            throw new IllegalArgumentException("a cache of capacity " + capacity + " cannot start with " + slots + " slots");
        }
        this.manager = parent.newSubManager();
        this.forward = forward;
        this.heads = hparams.nHead();
        this.headDim = hparams.headDim();
        this.capacity = capacity;
        this.slots = slots;
        this.keysValues = new NDArray[hparams.nLayer()];
        for (int i = 0; i < keysValues.length; i++) {
            keysValues[i] = allocate(rows);
        }
        this.mask = new SequenceMask(rows, capacity, positionIds);
    }

    private NDArray allocate(int rows) {
        return manager.create(new Shape(2, rows, heads, slots, headDim), DataType.FLOAT32);
    }

    /** How many tokens per row the arrays hold now. */
    int slots() {
        return slots;
    }

    /**
     * Makes the arrays hold at least {@code needed} tokens per row: when they hold fewer, new arrays
     * of twice the slots (or {@code needed}, if more; never above the capacity) take the used slots in
     * one engine call (the script's {@code grown}). Beyond the capacity it does nothing: the mask then
     * refuses the tokens with the n_ctx message.
     */
    void ensureSlots(int needed) {
        if (needed <= slots || needed > capacity) {
            return;
        }
        int grownTo = Math.min(capacity, Math.max(needed, 2 * slots));
        replaceArrays(forward.grown(scriptView(), grownTo, mask.length(), manager));
        slots = grownTo;
    }

    int rows() {
        return mask.rows();
    }

    SequenceMask mask() {
        return mask;
    }

    /**
     * Every layer's array as the list the TorchScript forward takes, made once and again only after a
     * {@link #reorder} replaced the arrays; the forward writes new K and V into them in place.
     */
    IValue scriptView() {
        if (scriptView == null) {
            scriptView = forward.listOf(keysValues);
        }
        return scriptView;
    }

    /**
     * New row {@code r} becomes old row {@code sourceRows[r]} (beams reordered, duplicated or dropped;
     * one row expanded to several), every block in one engine call. Copies only the used slots. When
     * the row count stays, only the rows that change are rewritten, in place, one row copy
     * each ({@link RowMoves}, the script's {@code moved}): beam search's cache traffic grows with the
     * length, and beams often keep their place; otherwise into new arrays (the script's {@code reorder}).
     */
    void reorder(int[] sourceRows) {
        if (sourceRows.length == 0) {
            throw new IllegalArgumentException("reorder needs at least one source row");
        }
        long[] index = new long[sourceRows.length];
        for (int r = 0; r < sourceRows.length; r++) {
            if (sourceRows[r] < 0 || sourceRows[r] >= rows()) {
                throw new IllegalArgumentException("sourceRows[" + r + "] is " + sourceRows[r]
                        + ", outside the cache's rows [0, " + rows() + ")");
            }
            index[r] = sourceRows[r];
        }
        if (sourceRows.length == rows()) {
            RowMoves moves = RowMoves.of(sourceRows);
            if (moves.isEmpty()) {
                return;
            }
            forward.moveRows(scriptView(), moves, mask.length());
        } else {
            replaceArrays(forward.reorder(scriptView(), index, mask.length(), manager));
        }
        mask.reorder(sourceRows);
    }

    /** The arrays the script made (a reorder to another row count, a growth) take the old ones' place. */
    private void replaceArrays(NDArray[] replacements) {
        freeScriptView();
        for (int i = 0; i < keysValues.length; i++) {
            keysValues[i].close();
            keysValues[i] = replacements[i];
        }
    }

    private void freeScriptView() {
        if (scriptView != null) {
            scriptView.close();
            scriptView = null;
        }
    }

    @Override
    public void close() {
        freeScriptView();
        manager.close();
    }
}
