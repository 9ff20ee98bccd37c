package net.gpt2j.runtime.tokenizer;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Byte-pair merging of one pre-token, as HuggingFace's {@code GPT2Tokenizer.bpe}: start from the
 * pre-token's bytes, and while any adjacent pair has a merge, take the pair of lowest rank and merge
 * every occurrence of it in one left-to-right pass (an occurrence overlapping one just merged is
 * skipped). Symbols are token ids, which stand for the same strings HuggingFace compares.
 *
 * <p>Short pre-tokens (almost all) use that algorithm literally; it is quadratic in the length, so
 * long ones (a run of thousands of letters or symbols) use a heap of pairs that makes the same
 * merges in the same order in {@code O(n log n)}.
 */
final class BytePairMerger {

    /** Longest pre-token, in bytes, merged by the literal quadratic pass. */
    static final int DEFAULT_QUADRATIC_LIMIT = 128;

    private final Vocabulary vocabulary;
    private final MergeTable merges;
    private final int quadraticLimit;

    BytePairMerger(Vocabulary vocabulary, MergeTable merges) {
        this(vocabulary, merges, DEFAULT_QUADRATIC_LIMIT);
    }

    /** {@code quadraticLimit} chooses the algorithm by length; tests set it to check one against the other. */
    BytePairMerger(Vocabulary vocabulary, MergeTable merges, int quadraticLimit) {
        this.vocabulary = vocabulary;
        this.merges = merges;
        this.quadraticLimit = quadraticLimit;
    }

    /** The token ids of {@code bytes[0..length)}; {@code length >= 1}. */
    int[] merge(byte[] bytes, int length) {
        int[] symbols = new int[length];
        for (int i = 0; i < length; i++) {
            symbols[i] = vocabulary.idOfByte(bytes[i] & 0xFF);
        }
        return length <= quadraticLimit ? mergeByPasses(symbols) : mergeWithHeap(symbols);
    }

    /**
     * HuggingFace's loop. {@code ranks[i]} holds the rank of the pair at {@code i}, so finding the
     * lowest is a scan of ints, and a pass looks up only the pairs its merges created.
     */
    private int[] mergeByPasses(int[] symbols) {
        int n = symbols.length;
        if (n < 2) {
            return symbols;
        }
        int[] ranks = new int[n - 1];
        for (int i = 0; i + 1 < n; i++) {
            ranks[i] = merges.rank(symbols[i], symbols[i + 1]);
        }
        while (n > 1) {
            int best = MergeTable.NO_RANK;
            for (int i = 0; i + 1 < n; i++) {
                int rank = ranks[i];
                if (rank != MergeTable.NO_RANK && (best == MergeTable.NO_RANK || rank < best)) {
                    best = rank;
                }
            }
            if (best == MergeTable.NO_RANK) {
                break;
            }
            int first = merges.leftId(best);
            int second = merges.rightId(best);
            int mergedId = merges.mergedId(best);
            // Compact in place: out <= i, and ranks[i - 1] is read before anything at or after
            // out - 1 is written.
            int out = 0;
            int i = 0;
            boolean previousMerged = false;
            while (i < n) {
                if (i + 1 < n && symbols[i] == first && symbols[i + 1] == second) {
                    symbols[out] = mergedId;
                    if (out > 0) {
                        ranks[out - 1] = merges.rank(symbols[out - 1], mergedId);
                    }
                    i += 2;
                    previousMerged = true;
                } else {
                    symbols[out] = symbols[i];
                    if (out > 0) {
                        ranks[out - 1] = previousMerged ? merges.rank(symbols[out - 1], symbols[out]) : ranks[i - 1];
                    }
                    i++;
                    previousMerged = false;
                }
                out++;
            }
            n = out;
        }
        return n == symbols.length ? symbols : Arrays.copyOf(symbols, n);
    }

    /**
     * The same merges over a linked list of symbols. Heap entries are (rank, position of the left
     * symbol), so they come out by rank and, within a rank, left to right, which is the order of
     * HuggingFace's pass. All entries of the lowest rank are taken out before any is merged: a merge
     * creates pairs with the new token, and those (even one of a lower rank, which a hand-edited
     * merge list could have) must wait for the next pass, as in HuggingFace. Entries made stale by an
     * earlier merge are recognised because their pair no longer has their rank.
     */
    private int[] mergeWithHeap(int[] symbols) {
        int n = symbols.length;
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1; // n means none
            prev[i] = i - 1;
        }
        PriorityQueue<Long> heap = new PriorityQueue<>();
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, merges.rank(symbols[i], symbols[i + 1]), i);
        }
        int[] sameRank = new int[16];
        while (!heap.isEmpty()) {
            int rank = (int) (heap.peek() >>> 32);
            int count = 0;
            while (!heap.isEmpty() && (int) (heap.peek() >>> 32) == rank) {
                if (count == sameRank.length) {
                    sameRank = Arrays.copyOf(sameRank, count * 2);
                }
                sameRank[count++] = (int) (long) heap.poll();
            }
            int mergedId = merges.mergedId(rank);
            for (int k = 0; k < count; k++) {
                int left = sameRank[k];
                int right = next[left];
                if (symbols[left] < 0 || right >= n || merges.rank(symbols[left], symbols[right]) != rank) {
                    continue; // consumed by an overlapping merge to its left, or otherwise stale
                }
                symbols[left] = mergedId;
                symbols[right] = -1;
                next[left] = next[right];
                if (next[right] < n) {
                    prev[next[right]] = left;
                }
                if (prev[left] >= 0) {
                    offer(heap, merges.rank(symbols[prev[left]], mergedId), prev[left]);
                }
                if (next[left] < n) {
                    offer(heap, merges.rank(mergedId, symbols[next[left]]), left);
                }
            }
        }
        int[] out = new int[n];
        int count = 0;
        for (int i = 0; i < n; i = next[i]) {
            out[count++] = symbols[i];
        }
        return Arrays.copyOf(out, count);
    }

    private static void offer(PriorityQueue<Long> heap, int rank, int position) {
        if (rank != MergeTable.NO_RANK) {
            heap.add(((long) rank << 32) | position);
        }
    }
}
