package net.gpt2j.runtime.model;

import net.gpt2j.runtime.generate.LogitsSource;

/**
 * {@link LogitsSource} over a {@link Gpt2Model} with a {@link KvCache}: the prompt runs once, then
 * each step runs one token per row against the cached keys and values. Left padding is carried
 * across steps (new tokens are real) and each row's positions continue from its own count of real
 * tokens, as HuggingFace's {@code generate} does.
 *
 * <p>Closing frees the cache, not the model. If a call fails half-way the cache is dropped, and the
 * next call must be a {@link #prefill}.
 */
public final class KvCacheDecoder implements LogitsSource {

    private final Gpt2Model model;
    private KvCache cache; // null before the first prefill

    KvCacheDecoder(Gpt2Model model) {
        this.model = model;
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

    @Override
    public float[][] prefill(int[][] inputIds, int[][] attentionMask) {
        TokenBatch batch = TokenBatch.of(inputIds, attentionMask, model.hparams());
        dropCache();
        cache = model.newCache(batch.rows());
        return guarded(() -> model.extend(cache, batch.flatIds(), batch.mask()));
    }

    @Override
    public float[][] step(int[] nextTokens) {
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
        return guarded(() -> model.extend(c, ids, realTokens));
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
    }
}
