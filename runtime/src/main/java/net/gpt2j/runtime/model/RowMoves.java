package net.gpt2j.runtime.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A reassignment of a cache's rows in place (new row {@code r} is old row {@code sourceRows[r]}, all
 * at once) as a sequence of single-row copies, for the script's {@code moved}: each step copies one
 * row's used slots with one {@code copy_}, which streams them at memory speed, where gathering the
 * moved rows with {@code index_select} or indexing and writing them with {@code index_copy_} went
 * element by element or copied every slot of the capacity (docs/DECISIONS.md, "Beam search's cache
 * moves row by row").
 *
 * <p>Order matters because the moves happen one after another: a row is overwritten only once no
 * pending move still reads it. When every pending move's target is still read (the rest are cycles,
 * beams that swapped places), one of those rows is first copied aside, and the moves that read it
 * read the copy: one extra row copy per cycle, none for chains or fan-outs.
 *
 * <p>{@link #steps} are triples {@code (kind, from, to)}: {@link #ROW} copies row {@code from} into
 * row {@code to}; {@link #SAVE} copies row {@code from} aside as the next saved row ({@code to} is its
 * number); {@link #SAVED} copies saved row {@code from} into row {@code to}.
 */
final class RowMoves {

    static final int ROW = 0;
    static final int SAVE = 1;
    static final int SAVED = 2;

    private final int[] sourceRows;

    private RowMoves(int[] sourceRows) {
        this.sourceRows = sourceRows;
    }

    /** New row {@code r} is to become old row {@code sourceRows[r]}, for every {@code r} at once. */
    static RowMoves of(int[] sourceRows) {
        int rows = sourceRows.length;
        for (int r = 0; r < rows; r++) {
            if (sourceRows[r] < 0 || sourceRows[r] >= rows) {
                throw new IllegalArgumentException("sourceRows[" + r + "] is " + sourceRows[r] + ", outside [0, " + rows + ")");
            }
        }
        return new RowMoves(sourceRows.clone());
    }

    /** True when every row keeps its place. */
    boolean isEmpty() {
        return changed() == 0;
    }

    /**
     * The single-row copies, as flat triples in the order they must run (the CPU's plan, the script's
     * {@code moved}); none when every row keeps its place.
     */
    long[] steps() {
        int rows = sourceRows.length;
        List<int[]> pending = new ArrayList<>(); // {target, source}; a source below 0 is saved row -(source + 1)
        int[] readers = new int[rows]; // pending moves that still read each row
        for (int r = 0; r < rows; r++) {
            if (sourceRows[r] != r) {
                pending.add(new int[] {r, sourceRows[r]});
                readers[sourceRows[r]]++;
            }
        }
        List<long[]> out = new ArrayList<>();
        int saved = 0;
        while (!pending.isEmpty()) {
            boolean moved = false;
            for (int i = 0; i < pending.size(); i++) {
                int[] move = pending.get(i);
                if (readers[move[0]] == 0) { // nobody needs the target's old contents any more
                    if (move[1] >= 0) {
                        out.add(new long[] {ROW, move[1], move[0]});
                        readers[move[1]]--;
                    } else {
                        out.add(new long[] {SAVED, -(move[1] + 1), move[0]});
                    }
                    pending.remove(i--);
                    moved = true;
                }
            }
            if (!moved) { // only cycles are left: keep one of their targets aside, its readers read that
                int row = pending.get(0)[0];
                out.add(new long[] {SAVE, row, saved});
                for (int[] move : pending) {
                    if (move[1] == row) {
                        move[1] = -(saved + 1);
                    }
                }
                readers[row] = 0;
                saved++;
            }
        }
        long[] flat = new long[3 * out.size()];
        for (int i = 0; i < out.size(); i++) {
            System.arraycopy(out.get(i), 0, flat, 3 * i, 3);
        }
        return flat;
    }

    /**
     * The same reassignment for a gather, {@code [rows that change..., the rows they take]}: what a GPU
     * runs (the script's {@code gathered}), where two launches a block beat a copy per moved row.
     */
    long[] pairs() {
        int changed = changed();
        long[] pairs = new long[2 * changed];
        for (int r = 0, m = 0; r < sourceRows.length; r++) {
            if (sourceRows[r] != r) {
                pairs[m] = r;
                pairs[changed + m++] = sourceRows[r];
            }
        }
        return pairs;
    }

    /** How many rows {@link #steps} copies aside (one per cycle). */
    int saved() {
        long[] steps = steps();
        int saved = 0;
        for (int i = 0; i < steps.length; i += 3) {
            saved += steps[i] == SAVE ? 1 : 0;
        }
        return saved;
    }

    private int changed() {
        int changed = 0;
        for (int r = 0; r < sourceRows.length; r++) {
            changed += sourceRows[r] != r ? 1 : 0;
        }
        return changed;
    }
}
