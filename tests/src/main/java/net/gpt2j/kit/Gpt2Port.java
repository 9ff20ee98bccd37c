package net.gpt2j.kit;

import java.util.Optional;
import java.util.Set;

/**
 * What a GPT-2 port offers the kit. Implement what your port does and declare it in
 * {@link #capabilities()}; the kit calls a method only when its capability is declared, and reports
 * cases needing an undeclared one as SKIPPED with the reason. Methods default to throwing, so a
 * small port stays small.
 *
 * <p>Conventions: token ids are GPT-2 ids; outputs of generation are prompt + new tokens, as
 * HuggingFace returns them; floats are the port's own float32 (or better) results.
 */
public interface Gpt2Port {

    /** What this port implements; the kit never calls beyond it. */
    Set<Capability> capabilities();

    /** GPT-2 byte-level BPE, {@code <|endoftext|>} in text becoming 50256 ({@link Capability#TOKENIZER}). */
    default int[] tokenize(String text) {
        throw unsupported(Capability.TOKENIZER);
    }

    /** The text of {@code ids}, without cleaning up tokenization spaces ({@link Capability#TOKENIZER}). */
    default String decode(int[] ids) {
        throw unsupported(Capability.TOKENIZER);
    }

    /**
     * Logits of every position: {@code [batch][position][vocab]} ({@link Capability#LOGITS}; batches
     * with zeros in the mask need {@link Capability#BATCH_PADDING}).
     */
    default float[][][] logits(int[][] ids, int[][] attentionMask) {
        throw unsupported(Capability.LOGITS);
    }

    /** Greedy generation ({@link Capability#GREEDY} plus the processors the request uses). */
    default int[][] greedy(GreedyRequest request) {
        throw unsupported(Capability.GREEDY);
    }

    /** Beam search ({@link Capability#BEAM} or {@link Capability#BEAM_LEGACY_SCORING}, by the request's HF version). */
    default BeamResult beam(BeamRequest request) {
        throw unsupported(Capability.BEAM);
    }

    /** The warped next-token distribution after {@code ids} ({@link Capability#WARPERS}); topK 0 and topP 1.0 mean off. */
    default WarpedDistribution warp(int[] ids, double temperature, int topK, double topP) {
        throw unsupported(Capability.WARPERS);
    }

    /**
     * HF's sliding-window perplexity ({@link Capability#PERPLEXITY}): windows of {@code maxLength}
     * tokens every {@code stride} tokens, tokens already scored masked out, {@code exp(mean loss)}.
     */
    default double perplexity(int[] ids, int maxLength, int stride) {
        throw unsupported(Capability.PERPLEXITY);
    }

    /** Perplexity of a text: by default tokenizes it and calls {@link #perplexity(int[], int, int)}. */
    default double perplexity(String text, int maxLength, int stride) {
        return perplexity(tokenize(text), maxLength, stride);
    }

    /**
     * The sum over the new tokens of {@code output} (those after {@code prompt}) of their log-softmax
     * given their prefix, from raw logits without processors ({@link Capability#SEQUENCE_LOGPROB}).
     * The default computes it in double from {@link #logits} of {@code output}; override it if your
     * port has a faster or more exact path.
     */
    default double sequenceLogprob(int[] prompt, int[] output) {
        if (output.length <= prompt.length) {
            return 0.0;
        }
        int[] ones = GreedyRequest.ones(output.length);
        float[][] rows = logits(new int[][] {output}, new int[][] {ones})[0];
        double sum = 0;
        for (int p = prompt.length; p < output.length; p++) {
            float[] row = rows[p - 1];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double s = 0;
            for (float v : row) {
                s += Math.exp(v - max);
            }
            sum += row[output[p]] - max - Math.log(s);
        }
        return sum;
    }

    /**
     * Named activations of one forward pass over {@code ids} ({@link Capability#PROBES}), for the
     * divergence report; empty when the port cannot expose them.
     */
    default Optional<ProbeRun> probes(int[] ids) {
        return Optional.empty();
    }

    private static UnsupportedOperationException unsupported(Capability c) {
        return new UnsupportedOperationException("this port does not implement " + c
                + "; leave it out of capabilities() and the kit will skip the cases that need it");
    }
}
