package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RowMoves' one-row-at-a-time copies give the all-at-once reassignment, with a row kept aside only per cycle. */
class RowMovesTest {

    @Test
    void aChainAndAFanOutNeedNoRowAside() {
        // new 2 = old 1, new 1 = old 0: row 1 must be read before it is written
        RowMoves chain = RowMoves.of(new int[] {0, 0, 1});
        assertThat(chain.saved()).isZero();
        assertThat(chain.steps()).containsExactly(RowMoves.ROW, 1, 2, RowMoves.ROW, 0, 1);
        RowMoves fanOut = RowMoves.of(new int[] {2, 2, 2, 2});
        assertThat(fanOut.saved()).isZero();
        assertThat(applied(fanOut, 4)).containsExactly(2, 2, 2, 2);
    }

    @Test
    void aSwapKeepsOneRowAside() {
        RowMoves swap = RowMoves.of(new int[] {1, 0});
        assertThat(swap.saved()).isEqualTo(1);
        assertThat(swap.steps()).containsExactly(RowMoves.SAVE, 0, 0, RowMoves.ROW, 1, 0, RowMoves.SAVED, 0, 1);
    }

    @Test
    void rowsThatKeepTheirPlaceAreNotTouched() {
        assertThat(RowMoves.of(new int[] {0, 1, 2}).isEmpty()).isTrue();
        long[] steps = RowMoves.of(new int[] {0, 2, 2, 3}).steps();
        assertThat(steps).containsExactly(RowMoves.ROW, 2, 1);
    }

    @Test
    void everyReassignmentComesOutAsIfAtOnce() {
        SplittableRandom random = new SplittableRandom(13);
        for (int trial = 0; trial < 20_000; trial++) {
            int rows = 1 + random.nextInt(9);
            int[] sources = new int[rows];
            boolean permutation = random.nextBoolean();
            List<Integer> order = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                order.add(r);
            }
            java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
            for (int r = 0; r < rows; r++) {
                sources[r] = permutation ? order.get(r) : random.nextInt(rows);
            }
            RowMoves moves = RowMoves.of(sources);
            List<Integer> expected = new ArrayList<>();
            for (int source : sources) {
                expected.add(source);
            }
            assertThat(applied(moves, rows)).as("sources %s", java.util.Arrays.toString(sources)).isEqualTo(expected);
            assertThat(moves.saved()).as("rows aside for %s", java.util.Arrays.toString(sources))
                    .isEqualTo(cycles(sources));
        }
    }

    @Test
    void aSourceOutsideTheRowsIsRefusedNamingIt() {
        assertThatThrownBy(() -> RowMoves.of(new int[] {0, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sourceRows[1] is 3, outside [0, 2)");
    }

    /** The steps run on rows 0..rows-1 (each row holding its own number), as the script runs them on a cache. */
    private static List<Integer> applied(RowMoves moves, int rows) {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            out.add(r);
        }
        List<Integer> aside = new ArrayList<>();
        long[] steps = moves.steps();
        for (int i = 0; i < steps.length; i += 3) {
            int from = Math.toIntExact(steps[i + 1]);
            int to = Math.toIntExact(steps[i + 2]);
            switch (Math.toIntExact(steps[i])) {
                case RowMoves.ROW -> out.set(to, out.get(from));
                case RowMoves.SAVE -> {
                    assertThat(to).as("saved rows are numbered in order").isEqualTo(aside.size());
                    aside.add(out.get(from));
                }
                case RowMoves.SAVED -> out.set(to, aside.get(from));
                default -> throw new AssertionError("step kind " + steps[i]);
            }
        }
        return out;
    }

    /** Cycles of length >= 2 in the graph row -> its source (every node has one out-edge). */
    private static int cycles(int[] sources) {
        int rows = sources.length;
        int[] state = new int[rows]; // 0 unseen, 1 on the current walk, 2 done
        int count = 0;
        for (int start = 0; start < rows; start++) {
            int r = start;
            while (state[r] == 0) {
                state[r] = 1;
                r = sources[r];
            }
            if (state[r] == 1 && sources[r] != r) {
                count++;
            }
            r = start;
            while (state[r] == 1) {
                state[r] = 2;
                r = sources[r];
            }
        }
        return count;
    }
}
