package net.gpt2j.runtime.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in model for decoding tests: row r's logits at step s are 0 except a 10 at
 * {@code script[r][s]} (or a fixed row of logits when built with one). It follows reorders so each row
 * keeps its own script and step count.
 */
final class ScriptedSource implements LogitsSource {

    private final int vocab;
    private final int maxLength;
    private final int[][] script;
    private final float[] fixedLogits;
    private List<int[]> rows = new ArrayList<>(); // {scriptRow, step}

    ScriptedSource(int vocab, int maxLength, int[][] script) {
        this.vocab = vocab;
        this.maxLength = maxLength;
        this.script = script;
        this.fixedLogits = null;
    }

    ScriptedSource(float[] fixedLogits, int maxLength) {
        this.vocab = fixedLogits.length;
        this.maxLength = maxLength;
        this.script = null;
        this.fixedLogits = fixedLogits;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int maxSequenceLength() {
        return maxLength;
    }

    @Override
    public float[][] prefill(int[][] inputIds, int[][] attentionMask) {
        rows = new ArrayList<>();
        for (int r = 0; r < inputIds.length; r++) {
            rows.add(new int[] {r, 0});
        }
        return current();
    }

    @Override
    public float[][] step(int[] nextTokens) {
        for (int[] row : rows) {
            row[1]++;
        }
        return current();
    }

    @Override
    public void reorder(int[] sourceRows) {
        List<int[]> next = new ArrayList<>();
        for (int s : sourceRows) {
            next.add(rows.get(s).clone());
        }
        rows = next;
    }

    private float[][] current() {
        float[][] out = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            if (fixedLogits != null) {
                out[r] = fixedLogits.clone();
            } else {
                out[r] = new float[vocab];
                int[] state = rows.get(r);
                out[r][script[state[0]][state[1]]] = 10f;
            }
        }
        return out;
    }

    @Override
    public void close() {}
}
