package net.gpt2j.runtime.generate;

import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;

/**
 * Test-only reference model: a straightforward float32 GPT-2 forward in plain Java over
 * {@link SyntheticWeights} (OpenAI layout, {@code x @ W} with W {@code [in, out]}, c_attn split in
 * thirds, LayerNorm eps 1e-5, tanh GELU, position ids {@code cumsum(mask) - 1}, padding at 1). It keeps
 * a per-row key/value cache so it can serve generation as a {@link LogitsSource}, and recomputes from
 * scratch as a {@link SequenceScorer}. Dot products accumulate in float, in index order, unless built
 * with double accumulation (to see which of the two a near-tie in the goldens follows).
 */
final class PlainJavaGpt2 implements LogitsSource, SequenceScorer {

    private static final float LN_EPS = 1e-5f;

    private final Hparams hp;
    private final boolean doubleAccumulation;
    private final float[] wte;
    private final float[] wpe;
    private final Layer[] layers;
    private final float[] lnfG;
    private final float[] lnfB;
    private List<Row> rows = new ArrayList<>();

    private static final class Layer {
        float[] ln1G, ln1B, attnW, attnB, projW, projB, ln2G, ln2B, fcW, fcB, mlpProjW, mlpProjB;
    }

    /** One sequence's cache: per layer, the key and value of every position, and the mask. */
    private static final class Row {
        final List<List<float[]>> keys = new ArrayList<>();
        final List<List<float[]>> values = new ArrayList<>();
        final List<Boolean> mask = new ArrayList<>();
        int realTokens;

        Row(int nLayer) {
            for (int l = 0; l < nLayer; l++) {
                keys.add(new ArrayList<>());
                values.add(new ArrayList<>());
            }
        }

        Row copy() {
            Row r = new Row(keys.size());
            for (int l = 0; l < keys.size(); l++) {
                r.keys.get(l).addAll(keys.get(l));
                r.values.get(l).addAll(values.get(l));
            }
            r.mask.addAll(mask);
            r.realTokens = realTokens;
            return r;
        }
    }

    PlainJavaGpt2(SyntheticWeights weights, boolean doubleAccumulation) {
        this.hp = weights.hparams();
        this.doubleAccumulation = doubleAccumulation;
        this.wte = load(weights, "model/wte");
        this.wpe = load(weights, "model/wpe");
        this.layers = new Layer[hp.nLayer()];
        for (int i = 0; i < hp.nLayer(); i++) {
            String h = "model/h" + i + "/";
            Layer l = new Layer();
            l.ln1G = load(weights, h + "ln_1/g");
            l.ln1B = load(weights, h + "ln_1/b");
            l.attnW = load(weights, h + "attn/c_attn/w");
            l.attnB = load(weights, h + "attn/c_attn/b");
            l.projW = load(weights, h + "attn/c_proj/w");
            l.projB = load(weights, h + "attn/c_proj/b");
            l.ln2G = load(weights, h + "ln_2/g");
            l.ln2B = load(weights, h + "ln_2/b");
            l.fcW = load(weights, h + "mlp/c_fc/w");
            l.fcB = load(weights, h + "mlp/c_fc/b");
            l.mlpProjW = load(weights, h + "mlp/c_proj/w");
            l.mlpProjB = load(weights, h + "mlp/c_proj/b");
            layers[i] = l;
        }
        this.lnfG = load(weights, "model/ln_f/g");
        this.lnfB = load(weights, "model/ln_f/b");
    }

    private static float[] load(SyntheticWeights w, String name) {
        for (SyntheticWeights.Variable v : w.variables()) {
            if (v.name().equals(name)) {
                return w.values(v);
            }
        }
        throw new IllegalArgumentException("no variable " + name);
    }

    @Override
    public int vocabSize() {
        return hp.nVocab();
    }

    @Override
    public int maxSequenceLength() {
        return hp.nCtx();
    }

    @Override
    public float[][] prefill(int[][] inputIds, int[][] attentionMask) {
        rows = new ArrayList<>();
        float[][] out = new float[inputIds.length][];
        for (int r = 0; r < inputIds.length; r++) {
            Row row = new Row(hp.nLayer());
            float[] hidden = null;
            for (int t = 0; t < inputIds[r].length; t++) {
                hidden = forwardToken(row, inputIds[r][t], attentionMask[r][t] == 1);
            }
            rows.add(row);
            out[r] = logits(hidden);
        }
        return out;
    }

    @Override
    public float[][] step(int[] nextTokens) {
        if (nextTokens.length != rows.size()) {
            throw new IllegalArgumentException("step got " + nextTokens.length + " tokens for " + rows.size() + " rows");
        }
        float[][] out = new float[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            out[r] = logits(forwardToken(rows.get(r), nextTokens[r], true));
        }
        return out;
    }

    @Override
    public void reorder(int[] sourceRows) {
        List<Row> next = new ArrayList<>(sourceRows.length);
        for (int src : sourceRows) {
            next.add(rows.get(src).copy());
        }
        rows = next;
    }

    @Override
    public float[][] logitsForAllPositions(int[] ids) {
        Row row = new Row(hp.nLayer());
        float[][] out = new float[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            out[t] = logits(forwardToken(row, ids[t], true));
        }
        return out;
    }

    @Override
    public void close() {
        rows = new ArrayList<>();
    }

    /** Runs one token through every block, appending its keys/values; returns the final hidden state before ln_f. */
    private float[] forwardToken(Row row, int token, boolean real) {
        int e = hp.nEmbd();
        // HF: position_ids = cumsum(mask) - 1, and padding positions are filled with 1
        int position = real ? row.realTokens : 1;
        if (real) {
            row.realTokens++;
        }
        row.mask.add(real);
        float[] x = new float[e];
        for (int i = 0; i < e; i++) {
            x[i] = wte[token * e + i] + wpe[position * e + i];
        }
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            float[] h = layerNorm(x, layer.ln1G, layer.ln1B);
            float[] qkv = linear(h, layer.attnW, layer.attnB, e, 3 * e);
            float[] q = java.util.Arrays.copyOfRange(qkv, 0, e);
            row.keys.get(l).add(java.util.Arrays.copyOfRange(qkv, e, 2 * e));
            row.values.get(l).add(java.util.Arrays.copyOfRange(qkv, 2 * e, 3 * e));
            float[] attn = attention(q, row.keys.get(l), row.values.get(l), row.mask, real);
            float[] proj = linear(attn, layer.projW, layer.projB, e, e);
            for (int i = 0; i < e; i++) {
                x[i] += proj[i];
            }
            float[] h2 = layerNorm(x, layer.ln2G, layer.ln2B);
            float[] fc = linear(h2, layer.fcW, layer.fcB, e, 4 * e);
            for (int i = 0; i < fc.length; i++) {
                fc[i] = gelu(fc[i]);
            }
            float[] mlp = linear(fc, layer.mlpProjW, layer.mlpProjB, 4 * e, e);
            for (int i = 0; i < e; i++) {
                x[i] += mlp[i];
            }
        }
        return x;
    }

    private float[] attention(float[] q, List<float[]> keys, List<float[]> values, List<Boolean> mask, boolean realQuery) {
        int e = hp.nEmbd();
        int hd = hp.headDim();
        int t = keys.size();
        float scale = (float) Math.sqrt(hd);
        float[] out = new float[e];
        for (int head = 0; head < hp.nHead(); head++) {
            int off = head * hd;
            float[] w = new float[t];
            boolean anyAllowed = false;
            boolean[] allowed = new boolean[t];
            for (int s = 0; s < t; s++) {
                allowed[s] = mask.get(s) || !realQuery;
                anyAllowed |= allowed[s];
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < t; s++) {
                if (!allowed[s] && anyAllowed) {
                    continue;
                }
                float[] k = keys.get(s);
                w[s] = dot(q, off, k, off, hd) / scale;
                max = Math.max(max, w[s]);
            }
            double sum = 0;
            for (int s = 0; s < t; s++) {
                if (!allowed[s] && anyAllowed) {
                    w[s] = 0;
                    continue;
                }
                w[s] = (float) Math.exp(w[s] - max);
                sum += w[s];
            }
            float inv = (float) (1.0 / sum);
            for (int d = 0; d < hd; d++) {
                if (doubleAccumulation) {
                    double acc = 0;
                    for (int s = 0; s < t; s++) {
                        acc += (double) (w[s] * inv) * values.get(s)[off + d];
                    }
                    out[off + d] = (float) acc;
                } else {
                    float acc = 0;
                    for (int s = 0; s < t; s++) {
                        acc += (w[s] * inv) * values.get(s)[off + d];
                    }
                    out[off + d] = acc;
                }
            }
        }
        return out;
    }

    private float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        if (doubleAccumulation) {
            double acc = 0;
            for (int i = 0; i < n; i++) {
                acc += (double) a[aOff + i] * b[bOff + i];
            }
            return (float) acc;
        }
        float acc = 0;
        for (int i = 0; i < n; i++) {
            acc += a[aOff + i] * b[bOff + i];
        }
        return acc;
    }

    /** {@code x @ W + b} with W row-major {@code [in, out]}. */
    private float[] linear(float[] x, float[] w, float[] b, int in, int out) {
        float[] y = new float[out];
        if (doubleAccumulation) {
            double[] acc = new double[out];
            for (int i = 0; i < in; i++) {
                double xi = x[i];
                int row = i * out;
                for (int j = 0; j < out; j++) {
                    acc[j] += xi * w[row + j];
                }
            }
            for (int j = 0; j < out; j++) {
                y[j] = (float) acc[j] + b[j];
            }
            return y;
        }
        for (int i = 0; i < in; i++) {
            float xi = x[i];
            int row = i * out;
            for (int j = 0; j < out; j++) {
                y[j] += xi * w[row + j];
            }
        }
        for (int j = 0; j < out; j++) {
            y[j] += b[j];
        }
        return y;
    }

    private float[] logits(float[] hidden) {
        int e = hp.nEmbd();
        float[] h = layerNorm(hidden, lnfG, lnfB);
        float[] out = new float[hp.nVocab()];
        for (int v = 0; v < out.length; v++) {
            out[v] = dot(h, 0, wte, v * e, e);
        }
        return out;
    }

    private static float[] layerNorm(float[] x, float[] g, float[] b) {
        int n = x.length;
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= n;
        double var = 0;
        for (float v : x) {
            double d = v - mean;
            var += d * d;
        }
        var /= n;
        float m = (float) mean;
        float rstd = (float) (1.0 / Math.sqrt(var + LN_EPS));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (x[i] - m) * rstd * g[i] + b[i];
        }
        return y;
    }

    /** HF's {@code gelu_new}: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private static float gelu(float x) {
        double xd = x;
        return (float) (0.5 * xd * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (xd + 0.044715 * xd * xd * xd))));
    }
}
