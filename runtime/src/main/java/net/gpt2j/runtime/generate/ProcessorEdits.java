package net.gpt2j.runtime.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A step's processor chain applied to rows that stay on the model's device, when every processor is
 * a {@link SparseLogitsProcessor}: the ids any of them touches, per row, as one rectangular index
 * ({@link #flatIndex}, to gather those scores), and the rewrite of the gathered values
 * ({@link #apply}, to scatter them back). Each processor runs, in the chain's order, the same
 * {@link SparseLogitsProcessor#processRow} it runs on a host row, on the same float values, so the
 * rewritten scores are bit for bit those of the host path.
 */
public final class ProcessorEdits {

    private final List<SparseLogitsProcessor> processors;
    private final int[][] idsSoFar;
    private final int vocabSize;
    private final int[][] touched; // per row, sorted, distinct
    private final int width;

    private ProcessorEdits(List<SparseLogitsProcessor> processors, int[][] idsSoFar, int vocabSize) {
        this.processors = processors;
        this.idsSoFar = idsSoFar;
        this.vocabSize = vocabSize;
        this.touched = new int[idsSoFar.length][];
        int widest = 0;
        for (int r = 0; r < idsSoFar.length; r++) {
            int[] union = new int[0];
            for (SparseLogitsProcessor p : processors) {
                int[] ids = p.touchedIds(idsSoFar[r], vocabSize);
                int[] merged = Arrays.copyOf(union, union.length + ids.length);
                System.arraycopy(ids, 0, merged, union.length, ids.length);
                union = merged;
            }
            touched[r] = Arrays.stream(union).sorted().distinct().toArray();
            widest = Math.max(widest, touched[r].length);
        }
        this.width = widest;
    }

    /**
     * The edits of {@code processors} on rows whose full ids are {@code idsSoFar}, or empty when one of
     * them is not sparse (a caller's own processor): its rows must then come to the host.
     */
    public static Optional<ProcessorEdits> of(List<LogitsProcessor> processors, int[][] idsSoFar, int vocabSize) {
        List<SparseLogitsProcessor> sparse = new ArrayList<>();
        for (LogitsProcessor p : processors) {
            if (!(p instanceof SparseLogitsProcessor s)) {
                return Optional.empty();
            }
            sparse.add(s);
        }
        return Optional.of(new ProcessorEdits(List.copyOf(sparse), idsSoFar, vocabSize));
    }

    /** True when no row has a score to change this step: nothing to gather or scatter. */
    public boolean isEmpty() {
        return width == 0;
    }

    public int rows() {
        return touched.length;
    }

    /** Ids per row in {@link #flatIndex}: the most any row touches. */
    public int width() {
        return width;
    }

    /**
     * {@code [rows, width]} row-major: each row's touched ids (ascending), the rest of the row filled
     * with its last id (or id 0 for a row with none), so the gather and scatter stay rectangular and a
     * filler writes back the value its id gets anyway.
     */
    public long[] flatIndex() {
        long[] index = new long[rows() * width];
        for (int r = 0; r < rows(); r++) {
            int[] ids = touched[r];
            for (int j = 0; j < width; j++) {
                index[r * width + j] = ids.length == 0 ? 0 : ids[Math.min(j, ids.length - 1)];
            }
        }
        return index;
    }

    /**
     * Rewrites {@code values} in place: on entry the scores at {@link #flatIndex}, on return what the
     * processors made of them (fillers repeat their row's last id's new value, so a scatter with
     * repeated ids writes one value).
     */
    public void apply(float[] values) {
        if (values.length != rows() * width) {
            throw new IllegalArgumentException("got " + values.length + " gathered scores for " + rows() + " rows of "
                    + width);
        }
        for (int r = 0; r < rows(); r++) {
            int[] ids = touched[r];
            if (ids.length == 0) {
                continue;
            }
            RowScores row = new GatheredRow(ids, values, r * width, vocabSize);
            for (SparseLogitsProcessor p : processors) {
                p.processRow(idsSoFar[r], row);
            }
            Arrays.fill(values, r * width + ids.length, (r + 1) * width, values[r * width + ids.length - 1]);
        }
    }

    /** One row's gathered scores, addressed by id; an id the processors did not declare is a bug in one of them. */
    private record GatheredRow(int[] ids, float[] values, int offset, int vocabSize) implements RowScores {

        @Override
        public float get(int token) {
            return values[slot(token)];
        }

        @Override
        public void set(int token, float score) {
            values[slot(token)] = score;
        }

        private int slot(int token) {
            int at = Arrays.binarySearch(ids, token);
            if (at < 0) {
                throw new IllegalStateException("a processor touched id " + token + ", which it did not declare");
            }
            return offset + at;
        }
    }
}
