package net.gpt2j.kit;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a port can do. A golden case whose needs are not all declared is reported SKIPPED with the
 * missing capabilities named, never passed, so an incomplete port never looks complete.
 */
public enum Capability {
    /** {@link Gpt2Port#tokenize} and {@link Gpt2Port#decode}. */
    TOKENIZER,
    /** {@link Gpt2Port#logits} for one unpadded prompt. */
    LOGITS,
    /** Greedy generation of one unpadded prompt. */
    GREEDY,
    /** Left-padded batches with an attention mask (position ids {@code cumsum(mask) - 1}). */
    BATCH_PADDING,
    NO_REPEAT_NGRAM,
    REPETITION_PENALTY,
    /** Stopping at an explicit {@code eos_token_id}. */
    EOS_STOP,
    /** Stopping at any of several end tokens ({@code eos_token_id} as a list, as HF allows): {@link GreedyRequest#eosTokenIds()}. */
    EOS_TOKEN_LIST,
    /** HF's {@code min_new_tokens}: the end tokens are banned until that many tokens are generated. */
    MIN_NEW_TOKENS,
    /** Beam search scored as transformers 4.36 and later do (length normalised by generated tokens only). */
    BEAM,
    /** Beam search scored as transformers before 4.36 did (prompt counted in the length); the 4.28.1 files. */
    BEAM_LEGACY_SCORING,
    /** Temperature, top-k, top-p warping of the last position. */
    WARPERS,
    /** {@link Gpt2Port#perplexity(int[], int, int)}: HF's sliding-window perplexity. */
    PERPLEXITY,
    /**
     * {@link Gpt2Port#sequenceLogprob}, which has a default built on {@link Gpt2Port#logits}: a port with
     * {@link #LOGITS} can declare this too and run these cases without writing anything more.
     */
    SEQUENCE_LOGPROB,
    /** {@link Gpt2Port#probes}: named activations for divergence reports. */
    PROBES;

    /** Every capability, including those added in later kit versions: a port that returns this claims them all. */
    public static Set<Capability> all() {
        return EnumSet.allOf(Capability.class);
    }
}
