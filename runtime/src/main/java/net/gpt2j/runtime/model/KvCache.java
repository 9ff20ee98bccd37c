package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.gpt2j.golden.Hparams;

/**
 * Every layer's keys and values of the tokens seen so far, for a batch of rows. Each layer's K and V
 * are allocated once at {@code [rows, heads, n_ctx, head_dim]} (uninitialised: only written slots are
 * read) and new tokens are written into their slots in place, so a step never copies the cache. The
 * attention reads a view of the first {@code length} slots. The arrays belong to a manager that lives
 * as long as the cache; the host-side mask and position bookkeeping is the {@link SequenceMask}.
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final int heads;
    private final int headDim;
    private final int capacity;
    private final NDArray[] keys; // per layer [rows, H, capacity, D]
    private final NDArray[] values;
    private final SequenceMask mask;

    KvCache(NDManager parent, Hparams hparams, int rows, ModelConfig.PositionIds positionIds) {
        this.manager = parent.newSubManager();
        this.heads = hparams.nHead();
        this.headDim = hparams.headDim();
        this.capacity = hparams.nCtx();
        this.keys = new NDArray[hparams.nLayer()];
        this.values = new NDArray[hparams.nLayer()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = allocate(rows);
            values[i] = allocate(rows);
        }
        this.mask = new SequenceMask(rows, capacity, positionIds);
    }

    private NDArray allocate(int rows) {
        return manager.create(new Shape(rows, heads, capacity, headDim), DataType.FLOAT32);
    }

    int rows() {
        return mask.rows();
    }

    SequenceMask mask() {
        return mask;
    }

    /**
     * Writes one layer's K and V of the newest tokens ({@code [rows, H, T, D]}, the last T of
     * {@code mask().length()}) into their slots, and returns views of all tokens' K and V,
     * {@code [rows, H, length, D]}, owned by {@code step}.
     */
    NDArray[] store(int layer, NDArray newKeys, NDArray newValues, NDManager step) {
        int length = mask.length();
        long start = length - newKeys.getShape().get(2);
        NDIndex fresh = new NDIndex().addAllDim(2).addSliceDim(start, length);
        keys[layer].set(fresh, newKeys);
        values[layer].set(fresh, newValues);
        NDIndex seen = used();
        return new NDArray[] {keys[layer].get(step, seen), values[layer].get(step, seen)};
    }

    private NDIndex used() {
        return new NDIndex().addAllDim(2).addSliceDim(0, mask.length());
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
            for (int i = 0; i < keys.length; i++) {
                keys[i] = gathered(keys[i], rowIndex, used, sameRows, scratch);
                values[i] = gathered(values[i], rowIndex, used, sameRows, scratch);
            }
        }
        mask.reorder(sourceRows);
    }

    /** The rows {@code rowIndex} of {@code cache}'s used slots, back in {@code cache} or in a new array. */
    private NDArray gathered(NDArray cache, NDArray rowIndex, NDIndex used, boolean inPlace, NDManager scratch) {
        NDArray picked = cache.get(scratch, used).get(scratch, new NDIndex("{}", rowIndex)); // [rows', H, length, D]
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
