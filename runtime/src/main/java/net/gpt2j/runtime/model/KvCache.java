package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.gpt2j.format.Hparams;

/**
 * Every layer's keys and values of the tokens seen so far, for a batch of rows. Each layer's K and V
 * share one array, allocated once at {@code [2, rows, heads, n_ctx, head_dim]} (K at index 0, V at 1;
 * uninitialised: only written slots are read), and new tokens are written into their slots in place
 * with one op per layer, so a step never copies the cache. The attention reads a view of the first
 * {@code length} slots. The arrays belong to a manager that lives as long as the cache; the host-side
 * mask and position bookkeeping is the {@link SequenceMask}.
 */
final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final int heads;
    private final int headDim;
    private final int capacity;
    private final NDArray[] keysValues; // per layer [2, rows, H, capacity, D]
    private final SequenceMask mask;

    KvCache(NDManager parent, Hparams hparams, int rows, ModelConfig.PositionIds positionIds) {
        this.manager = parent.newSubManager();
        this.heads = hparams.nHead();
        this.headDim = hparams.headDim();
        this.capacity = hparams.nCtx();
        this.keysValues = new NDArray[hparams.nLayer()];
        for (int i = 0; i < keysValues.length; i++) {
            keysValues[i] = allocate(rows);
        }
        this.mask = new SequenceMask(rows, capacity, positionIds);
    }

    private NDArray allocate(int rows) {
        return manager.create(new Shape(2, rows, heads, capacity, headDim), DataType.FLOAT32);
    }

    int rows() {
        return mask.rows();
    }

    SequenceMask mask() {
        return mask;
    }

    /**
     * Writes one layer's K and V of the newest tokens ({@code [2, rows, H, T, D]}, the last T of
     * {@code mask().length()}) into their slots, and returns a view of all tokens' K and V,
     * {@code [2, rows, H, length, D]}, owned by {@code step}.
     */
    NDArray store(int layer, NDArray newKeysValues, NDManager step) {
        int length = mask.length();
        long start = length - newKeysValues.getShape().get(3);
        keysValues[layer].set(slots(start, length), newKeysValues);
        return keysValues[layer].get(step, used());
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
            }
        }
        mask.reorder(sourceRows);
    }

    /** The rows {@code rowIndex} of {@code cache}'s used slots, back in {@code cache} or in a new array. */
    private NDArray gathered(NDArray cache, NDArray rowIndex, NDIndex used, boolean inPlace, NDManager scratch) {
        NDArray picked = cache.get(scratch, used).get(scratch, new NDIndex(":, {}", rowIndex)); // [2, rows', H, length, D]
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
