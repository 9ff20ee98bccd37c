package net.gpt2j.runtime.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code vocab.bpe}: the merges in rank order (line {@code n+1} is rank {@code n}), held as token ids.
 * A pair of ids is one {@code long} key in an open-addressing table, so looking up a rank allocates
 * nothing; the merged token's id is found by rank.
 */
final class MergeTable {

    static final int NO_RANK = -1;
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int mask;
    private final int[] leftIdByRank;
    private final int[] rightIdByRank;
    private final int[] mergedIdByRank;

    private MergeTable(int[] lefts, int[] rights, int[] merged, int count) {
        int capacity = Integer.highestOneBit(Math.max(2, count) * 2 - 1) << 1; // load factor <= 0.5
        this.keys = new long[capacity];
        this.ranks = new int[capacity];
        this.mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
        this.leftIdByRank = Arrays.copyOf(lefts, count);
        this.rightIdByRank = Arrays.copyOf(rights, count);
        this.mergedIdByRank = Arrays.copyOf(merged, count);
        for (int rank = 0; rank < count; rank++) {
            // HuggingFace builds dict(zip(merges, range(n))): a repeated pair keeps its last rank.
            put(pairKey(lefts[rank], rights[rank]), rank);
        }
    }

    /**
     * Reads {@code vocab.bpe}: a {@code #version} header, then one merge per line, two tokens
     * separated by a space. Blank lines are skipped (HuggingFace drops the last line, which is the
     * empty one after the final newline).
     */
    static MergeTable read(InputStream in, String source, Vocabulary vocabulary) throws IOException {
        int[] lefts = new int[50_000];
        int[] rights = new int[50_000];
        int[] merged = new int[50_000];
        int count = 0;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isEmpty() || (lineNumber == 1 && line.startsWith("#version"))) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                throw new TokenizerFileException(source + " line " + lineNumber + ": '" + line
                        + "' is not two tokens separated by one space");
            }
            String left = line.substring(0, space);
            String right = line.substring(space + 1);
            if (count == lefts.length) {
                lefts = Arrays.copyOf(lefts, count * 2);
                rights = Arrays.copyOf(rights, count * 2);
                merged = Arrays.copyOf(merged, count * 2);
            }
            lefts[count] = requireToken(vocabulary, left, source, lineNumber);
            rights[count] = requireToken(vocabulary, right, source, lineNumber);
            merged[count] = requireToken(vocabulary, left + right, source, lineNumber);
            count++;
        }
        return new MergeTable(lefts, rights, merged, count);
    }

    /** A table from merges in rank order, each {@code [left, right]} (as {@code tokenizer.json} gives them). */
    static MergeTable of(java.util.List<String[]> merges, String source, Vocabulary vocabulary) throws TokenizerFileException {
        int n = merges.size();
        int[] lefts = new int[n];
        int[] rights = new int[n];
        int[] merged = new int[n];
        for (int rank = 0; rank < n; rank++) {
            String[] m = merges.get(rank);
            lefts[rank] = requireToken(vocabulary, m[0], source, rank + 1);
            rights[rank] = requireToken(vocabulary, m[1], source, rank + 1);
            merged[rank] = requireToken(vocabulary, m[0] + m[1], source, rank + 1);
        }
        return new MergeTable(lefts, rights, merged, n);
    }

    private static int requireToken(Vocabulary vocabulary, String token, String source, int lineNumber)
            throws TokenizerFileException {
        int id = vocabulary.idOf(token);
        if (id < 0) {
            throw new TokenizerFileException(source + " line " + lineNumber + ": token '" + token
                    + "' is not in the vocabulary (every merge's parts and result must be)");
        }
        return id;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private void put(long key, int rank) {
        int i = slot(key) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ranks[i] = rank;
    }

    /** The rank of merging {@code left} then {@code right}, or {@link #NO_RANK}. */
    int rank(int left, int right) {
        long key = pairKey(left, right);
        int i = slot(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return ranks[i];
            }
            if (k == EMPTY) {
                return NO_RANK;
            }
            i = (i + 1) & mask;
        }
    }

    /** The id of the left token of the merge of this rank. */
    int leftId(int rank) {
        return leftIdByRank[rank];
    }

    /** The id of the right token of the merge of this rank. */
    int rightId(int rank) {
        return rightIdByRank[rank];
    }

    /** The id of the token a merge of this rank produces. */
    int mergedId(int rank) {
        return mergedIdByRank[rank];
    }

    int size() {
        return mergedIdByRank.length;
    }
}
