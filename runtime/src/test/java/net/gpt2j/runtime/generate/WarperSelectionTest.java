package net.gpt2j.runtime.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Top-k's k-th value by a heap and top-p's order by packed primitive keys give what sorting gave
 * (the definitions the warpers were written from): on rows with ties, infinities, signed zeros and
 * vocabulary-sized rows, so a sampled run keeps every token it drew before. And top-p, which now
 * sorts only the ids not yet at -inf, warps exactly as when it sorted them all.
 */
class WarperSelectionTest {

    @Test
    void theKthLargestIsTheValueAFullSortPutsThere() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 3000; trial++) {
            float[] row = row(random, 1 + random.nextInt(trial < 2900 ? 300 : 50257));
            int keep = 1 + random.nextInt(row.length);
            float[] sorted = row.clone();
            Arrays.sort(sorted);
            assertThat(Float.floatToIntBits(TopKWarper.kthLargest(row, keep)))
                    .as("keep %d of %s", keep, row.length < 40 ? Arrays.toString(row) : row.length + " values")
                    .isEqualTo(Float.floatToIntBits(sorted[sorted.length - keep]));
        }
    }

    @Test
    void theAscendingOrderIsTheBoxedSortsOrderWithoutTheRemovedIds() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 2000; trial++) {
            float[] row = row(random, 1 + random.nextInt(trial < 1950 ? 300 : 50257));
            int[] expected = Arrays.stream(boxedOrder(row)).filter(i -> row[i] != Float.NEGATIVE_INFINITY).toArray();
            assertThat(TopPWarper.ascendingOrderOfTheRest(row)).isEqualTo(expected);
        }
    }

    @Test
    void topPWarpsAsWhenItSortedEveryId() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 1500; trial++) {
            float[] row = row(random, 1 + random.nextInt(trial < 1450 ? 300 : 50257));
            for (int i = 0; i < row.length; i++) {
                if (row[i] == Float.POSITIVE_INFINITY || Float.isNaN(row[i])) {
                    row[i] = 30; // logits, not overflows: a +inf or NaN makes every probability NaN either way
                }
            }
            double topP = random.nextDouble();
            int minKeep = 1 + random.nextInt(3);
            float[][] fast = {row.clone()};
            new TopPWarper(topP, minKeep).process(new int[][] {{0}}, fast);
            float[] slow = row.clone(); // as first written: every id sorted, the removed ones too
            new TopPWarper(topP, minKeep).warpInOrder(slow, boxedOrder(row));
            for (int i = 0; i < row.length; i++) {
                assertThat(Float.floatToIntBits(fast[0][i])).as("id %d, top_p %s", i, topP).isEqualTo(Float.floatToIntBits(slow[i]));
            }
        }
    }

    @Test
    void softmaxSkipsRemovedIdsWithoutChangingABit() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 3000; trial++) {
            float[] row = row(random, 1 + random.nextInt(trial < 2950 ? 300 : 50257));
            if (trial % 10 == 0) {
                Arrays.fill(row, Float.NEGATIVE_INFINITY); // nothing left: NaN either way
            }
            float[] fast = ScoreMath.softmax(row);
            float[] everyExp = softmaxComputingEveryExp(row);
            for (int i = 0; i < row.length; i++) {
                assertThat(Float.floatToIntBits(fast[i])).as("id %d of %s", i, row.length).isEqualTo(Float.floatToIntBits(everyExp[i]));
            }
        }
    }

    /** The softmax as first written: exp of every score, the -inf ones too. */
    private static float[] softmaxComputingEveryExp(float[] scores) {
        float max = ScoreMath.max(scores);
        float[] exps = new float[scores.length];
        double total = 0;
        for (int i = 0; i < exps.length; i++) {
            total += exps[i] = (float) Math.exp(scores[i] - max);
        }
        float scale = (float) (1.0 / total);
        for (int i = 0; i < exps.length; i++) {
            exps[i] = exps[i] * scale;
        }
        return exps;
    }

    /** Every id of {@code row} by ascending score, ties by id: the boxed comparator sort top-p first ran. */
    private static int[] boxedOrder(float[] row) {
        Integer[] boxed = new Integer[row.length];
        for (int i = 0; i < row.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, Comparator.comparingDouble((Integer i) -> row[i]).thenComparingInt(i -> i));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    /** Logit-like values with many exact ties, some infinities (masked ids), NaNs and both zeros. */
    private static float[] row(SplittableRandom random, int n) {
        float[] row = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(20);
            row[i] = switch (kind) {
                case 0 -> Float.NEGATIVE_INFINITY;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> -0.0f;
                case 3 -> 0.0f;
                case 4, 5, 6 -> random.nextInt(5) - 2; // ties
                case 7 -> Float.NaN;
                default -> (float) (random.nextGaussian() * 8);
            };
        }
        return row;
    }
}
