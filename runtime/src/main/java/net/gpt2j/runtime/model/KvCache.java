package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.gpt2j.format.Hparams;

/**
 * Every layer's keys and values of the tokens seen so far, for a batch of rows. Each layer's K and V
 * share one array, allocated once at {@code [rows, 2, heads, capacity, head_dim]} (K at index 0 of
 * axis 1, V at 1; uninitialised: only written slots are read). That layout is the one the fused QKV
 * projection's output has after a free reshape, {@code [rows, 3, H, T, D]}, so a step writes its new
 * K and V with one in-place copy per layer and never copies the cache; attention reads views of the
 * first {@code length} slots. The arrays belong to a manager that lives as long as the cache; the
 * host-side mask and position bookkeeping is the {@link SequenceMask}.
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final EngineOps ops;
    private final int heads;
    private final int headDim;
    private final int capacity;
    private final NDArray[] keysValues; // per layer [rows, 2, H, capacity, D]
    private final NDArray[] keysTransposed; // per layer, a view: [rows, 1, H, D, capacity]
    private final NDArray[] values; // per layer, a view: [rows, 1, H, capacity, D]
    private final SequenceMask mask;

    /** A cache for up to {@code capacity} tokens per row (n_ctx for generation, the batch's length for one forward). */
    KvCache(NDManager parent, EngineOps ops, Hparams hparams, int rows, int capacity,
            ModelConfig.PositionIds positionIds) {
        this.manager = parent.newSubManager();
        this.ops = ops;
        this.heads = hparams.nHead();
        this.headDim = hparams.headDim();
        this.capacity = capacity;
        this.keysValues = new NDArray[hparams.nLayer()];
        this.keysTransposed = new NDArray[hparams.nLayer()];
        this.values = new NDArray[hparams.nLayer()];
        for (int i = 0; i < keysValues.length; i++) {
            keysValues[i] = allocate(rows);
            makeViews(i);
        }
        this.mask = new SequenceMask(rows, capacity, positionIds);
    }

    /**
     * The whole-capacity views attention reads through, made once per array: a step then slices
     * the used length off each with one call, K already transposed for {@code q @ K^T}.
     */
    private void makeViews(int layer) {
        NDArray kv = keysValues[layer];
        long rows = kv.getShape().get(0);
        if (keysTransposed[layer] != null) {
            keysTransposed[layer].close();
            values[layer].close();
        }
        try (NDArray keys = ops.slice(kv, manager, new long[] {0, 0}, new long[] {rows, 1})) {
            keysTransposed[layer] = ops.transpose(keys, 3, 4);
        }
        values[layer] = ops.slice(kv, manager, new long[] {0, 1}, new long[] {rows, 2});
    }

    private NDArray allocate(int rows) {
        return manager.create(new Shape(rows, 2, heads, capacity, headDim), DataType.FLOAT32);
    }

    int rows() {
        return mask.rows();
    }

    SequenceMask mask() {
        return mask;
    }

    /**
     * Writes one layer's K and V of the newest tokens into their slots, in place: {@code newKeysValues}
     * is {@code [rows, 2, H, T, D]} (a view is fine), the last T of {@code mask().length()}.
     */
    void write(int layer, NDArray newKeysValues) {
        int length = mask.length();
        long start = length - newKeysValues.getShape().get(3);
        ops.write(keysValues[layer], newKeysValues, new long[] {0, 0, 0, start}, new long[] {rows(), 2, heads, length});
    }

    /** Every token's keys of {@code layer}, transposed: a view {@code [rows, 1, H, D, length]} owned by {@code step}. */
    NDArray keysTransposed(int layer, NDManager step) {
        int r = rows();
        return ops.slice(keysTransposed[layer], step, new long[] {0, 0, 0, 0, 0},
                new long[] {r, 1, heads, headDim, mask.length()});
    }

    /** Every token's values of {@code layer}: a view {@code [rows, 1, H, length, D]} owned by {@code step}. */
    NDArray values(int layer, NDManager step) {
        return ops.slice(values[layer], step, new long[] {0, 0, 0, 0}, new long[] {rows(), 1, heads, mask.length()});
    }

    private NDIndex used() {
        return slots(0, mask.length());
    }

    /** Slots {@code [from, to)} of the sequence axis (3) of a layer's array. */
    private static NDIndex slots(long from, long to) {
        return new NDIndex().addAllDim(3).addSliceDim(from, to);
    }

    /**
     * New row {@code r} becomes old row {@code sourceRows[r]} (beams reordered, duplicated or dropped;
     * one row expanded to several). Copies only the used slots: gathered into a temporary, then
     * written back in place, or into new arrays when the row count changes.
     */
    void reorder(int[] sourceRows) {
        if (sourceRows.length == 0) {
            throw new IllegalArgumentException("reorder needs at least one source row");
        }
        boolean identity = sourceRows.length == rows();
        long[] index = new long[sourceRows.length];
        for (int r = 0; r < sourceRows.length; r++) {
            if (sourceRows[r] < 0 || sourceRows[r] >= rows()) {
                throw new IllegalArgumentException("sourceRows[" + r + "] is " + sourceRows[r]
                        + ", outside the cache's rows [0, " + rows() + ")");
            }
            identity &= sourceRows[r] == r;
            index[r] = sourceRows[r];
        }
        if (identity) {
            return;
        }
        boolean sameRows = sourceRows.length == rows();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray rowIndex = scratch.create(index);
            NDIndex used = used();
            for (int i = 0; i < keysValues.length; i++) {
                keysValues[i] = gathered(keysValues[i], rowIndex, used, sameRows, scratch);
                if (!sameRows) {
                    makeViews(i);
                }
            }
        }
        mask.reorder(sourceRows);
    }

    /** The rows {@code rowIndex} of {@code cache}'s used slots, back in {@code cache} or in a new array. */
    private NDArray gathered(NDArray cache, NDArray rowIndex, NDIndex used, boolean inPlace, NDManager scratch) {
        NDArray picked = cache.get(scratch, used).get(scratch, new NDIndex("{}", rowIndex)); // [rows', 2, H, length, D]
        NDArray target = inPlace ? cache : allocate((int) rowIndex.size());
        target.set(used, picked);
        if (!inPlace) {
            cache.close();
        }
        return target;
    }

    @Override
    public void close() {
        manager.close();
    }
}
