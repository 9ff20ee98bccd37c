package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import net.gpt2j.runtime.generate.BeamCandidate;
import net.gpt2j.runtime.generate.LogitsProcessor;
import net.gpt2j.runtime.generate.LogitsSource;
import net.gpt2j.runtime.generate.NextTokenLogits;

/**
 * {@link LogitsSource} over a {@link Gpt2Model} with a {@link KvCache}: the prompt runs once, then
 * each step runs one token per row against the cached keys and values. Left padding is carried
 * across steps (new tokens are real) and each row's positions continue from its own count of real
 * tokens, as HuggingFace's {@code generate} does.
 *
 * <p>The last logits stay on the model's device ({@link #prefillLogits}, {@link #stepLogits}) until
 * the next call replaces them; {@link #prefill} and {@link #step} copy them to the host at once. What
 * comes to the host is counted ({@link #hostCopies}, {@link #hostBytes}).
 *
 * <p>Closing frees the cache, not the model. If a call fails half-way the cache is dropped, and the
 * next call must be a {@link #prefill}.
 */
public final class KvCacheDecoder implements LogitsSource {

    private final Gpt2Model model;
    private final NDManager results; // holds the last logits between calls
    private final HostCopies host = new HostCopies();
    /** Greedy's argmax on the CPU: read in place (false) or torch's topk as on a GPU (true; tests). */
    private boolean topkOnTheCpu;
    private KvCache cache; // null before the first prefill
    private NDArray lastLogits; // [rows, V], null before the first call

    KvCacheDecoder(Gpt2Model model) {
        this.model = model;
        this.results = model.newResultManager();
    }

    @Override
    public int vocabSize() {
        return model.hparams().nVocab();
    }

    @Override
    public int maxSequenceLength() {
        return model.hparams().nCtx();
    }

    /** How many tokens (prompt, padding included, plus steps) the cache holds. */
    public int length() {
        return cache == null ? 0 : cache.mask().length();
    }

    /** How many rows the cache holds. */
    public int rows() {
        return cache == null ? 0 : cache.rows();
    }

    /** How many copies from the device to the host this decoder has made (logits, candidates, scores). */
    public long hostCopies() {
        return host.copies();
    }

    /** How many bytes those copies brought to the host. */
    public long hostBytes() {
        return host.bytes();
    }

    @Override
    public float[][] prefill(int[][] inputIds, int[][] attentionMask) {
        prefillLogits(inputIds, attentionMask);
        return host.rows(lastLogits);
    }

    @Override
    public float[][] step(int[] nextTokens) {
        stepLogits(nextTokens);
        return host.rows(lastLogits);
    }

    @Override
    public NextTokenLogits prefillLogits(int[][] inputIds, int[][] attentionMask) {
        TokenBatch batch = TokenBatch.of(inputIds, attentionMask, model.hparams());
        dropCache();
        cache = model.newCache(batch.rows(), batch.length());
        return kept(guarded(() -> model.extend(cache, batch.flatIds(), batch.mask(), results)));
    }

    @Override
    public NextTokenLogits stepLogits(int[] nextTokens) {
        KvCache c = requireCache("step");
        if (nextTokens.length != c.rows()) {
            throw new IllegalArgumentException("step got " + nextTokens.length + " tokens for " + c.rows() + " rows");
        }
        if (c.mask().length() >= maxSequenceLength()) {
            throw new IllegalStateException("the sequence already holds n_ctx = " + maxSequenceLength() + " tokens");
        }
        long[] ids = new long[nextTokens.length];
        int[][] realTokens = new int[nextTokens.length][];
        for (int r = 0; r < ids.length; r++) {
            TokenBatch.checkToken(nextTokens[r], vocabSize(), "nextTokens[" + r + "]");
            ids[r] = nextTokens[r];
            realTokens[r] = new int[] {1};
        }
        return kept(guarded(() -> model.extend(c, ids, realTokens, results)));
    }

    /** Makes {@code logits} the decoder's last logits (freeing the previous ones) and hands out a view. */
    private NextTokenLogits kept(NDArray logits) {
        freeLogits();
        lastLogits = logits;
        return new DeviceLogits(logits);
    }

    private void freeLogits() {
        if (lastLogits != null) {
            lastLogits.close();
            lastLogits = null;
        }
    }

    /**
     * The decoder's last logits, {@code [rows, V]}, on the model's device. {@link #top2} copies two
     * scores and two ids per row (one {@code topk}); only when a row's two best tie does it ask the
     * engine for {@code argmax}, whose first-index rule torch documents (topk's order on ties is not).
     * {@link #beamCandidates} copies each prompt's best candidates ({@link DeviceBeamStep}).
     */
    private final class DeviceLogits implements NextTokenLogits {
        private final NDArray logits;

        DeviceLogits(NDArray logits) {
            this.logits = logits;
        }

        @Override
        public float[][] toHost() {
            return host.rows(logits);
        }

        @Override
        public BeamCandidate[][] beamCandidates(int[][] idsSoFar, List<LogitsProcessor> processors,
                float[] runningScores, int numBeams, int count) {
            return new DeviceBeamStep(model.ops(), host)
                    .candidates(logits, results, idsSoFar, processors, runningScores, numBeams, count);
        }

        /** One {@code repeat_interleave} on the device; the result becomes the decoder's last logits. */
        @Override
        public NextTokenLogits repeatEachRow(int times) {
            if (times < 1) {
                throw new IllegalArgumentException("each row repeated " + times + " times");
            }
            return times == 1 ? this : kept(model.ops().repeatEach(logits, times, 0));
        }

        @Override
        public Top2 top2() {
            int rows = Math.toIntExact(logits.getShape().get(0));
            if (logits.getShape().get(1) < 2) {
                return NextTokenLogits.onHost(toHost()).top2();
            }
            if (!logits.getDevice().isGpu() && !topkOnTheCpu) {
                // on the CPU the engine's buffer is the host's: one pass per row, no engine call and no
                // copy, where topk copies the row into index-value pairs and sorts them
                return InPlaceTop2.of(Gpt2Model.hostView(logits), rows, Math.toIntExact(logits.getShape().get(1)));
            }
            EngineOps ops = model.ops();
            int[] argmax = new int[rows];
            float[] gap = new float[rows];
            boolean tie = false;
            try (NDManager scratch = results.newSubManager()) {
                NDList best = ops.topK(logits, 2, 1); // values [rows, 2], indices [rows, 2]
                best.attach(scratch);
                FloatBuffer values = host.floats(best.get(0));
                LongBuffer ids = host.longs(best.get(1));
                for (int r = 0; r < rows; r++) {
                    gap[r] = values.get(2 * r) - values.get(2 * r + 1);
                    argmax[r] = Math.toIntExact(ids.get(2 * r));
                    tie |= !(gap[r] > 0);
                }
                if (tie) {
                    NDArray first = ops.argMax(logits, 1);
                    first.attach(scratch);
                    LongBuffer firstIds = host.longs(first);
                    for (int r = 0; r < rows; r++) {
                        if (!(gap[r] > 0)) {
                            argmax[r] = Math.toIntExact(firstIds.get(r));
                        }
                    }
                }
            }
            return new Top2(argmax, gap);
        }
    }

    /** Makes greedy's argmax use torch's topk on the CPU too, as on a GPU: for tests of that path. */
    void useTopkOnTheCpu() {
        topkOnTheCpu = true;
    }

    @Override
    public void reorder(int[] sourceRows) {
        KvCache c = requireCache("reorder");
        guarded(() -> {
            c.reorder(sourceRows);
            return null;
        });
    }

    private KvCache requireCache(String call) {
        if (cache == null) {
            throw new IllegalStateException(call + " needs a prefill first");
        }
        return cache;
    }

    /** Runs {@code work}; a failure inside the engine leaves the cache half-written, so it is dropped. */
    private <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (IllegalArgumentException e) {
            throw e; // refused before anything was written
        } catch (RuntimeException e) {
            dropCache();
            throw e;
        }
    }

    private void dropCache() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    @Override
    public void close() {
        dropCache();
        results.close();
    }
}
