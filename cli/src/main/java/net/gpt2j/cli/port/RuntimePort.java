package net.gpt2j.cli.port;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.gpt2j.kit.BeamRequest;
import net.gpt2j.kit.BeamResult;
import net.gpt2j.kit.Capability;
import net.gpt2j.kit.Gpt2Port;
import net.gpt2j.kit.GreedyRequest;
import net.gpt2j.kit.ProbeRun;
import net.gpt2j.kit.WarpedDistribution;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.BeamLengthConvention;
import net.gpt2j.runtime.generate.EarlyStopping;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.LogitsProcessor;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.generate.WarpedTop;
import net.gpt2j.runtime.generate.SequenceLogProb;
import net.gpt2j.runtime.generate.SlidingWindowPerplexity;

/**
 * This project's runtime seen through the kit's {@link Gpt2Port}: the only place where the kit's
 * request records meet the runtime's generation API. Lives in the CLI module because it is the one
 * module that sees both; the kit stays free of the runtime.
 */
public final class RuntimePort implements Gpt2Port, AutoCloseable {

    /** How many of the most probable ids a warper check compares (FORMAT.md: the 50 most probable). */
    private static final int WARPER_TOP = 50;

    private final Gpt2Runtime runtime;

    public RuntimePort(Gpt2Runtime runtime) {
        this.runtime = runtime;
    }

    public Gpt2Runtime runtime() {
        return runtime;
    }

    /** Everything the kit checks, several end tokens at once included. */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public int[] tokenize(String text) {
        return runtime.tokenizer().encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return runtime.tokenizer().decode(ids);
    }

    @Override
    public float[][][] logits(int[][] ids, int[][] attentionMask) {
        return runtime.model().logits(ids, attentionMask);
    }

    @Override
    public int[][] greedy(GreedyRequest r) {
        return greedy(r, null);
    }

    /** {@link #greedy(GreedyRequest)} with one processor of the caller's after the built-in ones (null: none). */
    public int[][] greedy(GreedyRequest r, LogitsProcessor extra) {
        GenerationConfig.Builder b = GenerationConfig.builder().maxNewTokens(r.maxNewTokens()).minNewTokens(r.minNewTokens())
                .padTokenId(r.padTokenId());
        r.noRepeatNgramSize().ifPresent(b::noRepeatNgramSize);
        r.repetitionPenalty().ifPresent(b::repetitionPenalty);
        endTokens(r.eosTokenIds(), b);
        if (extra != null) {
            b.logitsProcessor(extra);
        }
        return runtime.greedy(new PromptBatch(r.ids(), r.attentionMask()), b.build());
    }

    /** The request's end tokens; none given means HF's GPT-2 default (50256), the builder's own. */
    private static void endTokens(int[] eosTokenIds, GenerationConfig.Builder b) {
        if (eosTokenIds.length > 0) {
            b.eosTokenIds(eosTokenIds);
        }
    }

    @Override
    public BeamResult beam(BeamRequest r) {
        return beam(r, null);
    }

    /** {@link #beam(BeamRequest)} with one processor of the caller's after the built-in ones (null: none). */
    public BeamResult beam(BeamRequest r, LogitsProcessor extra) {
        GenerationConfig.Builder b = GenerationConfig.builder()
                .maxNewTokens(r.maxNewTokens())
                .minNewTokens(r.minNewTokens())
                .numBeams(r.numBeams())
                .numReturnSequences(r.numReturnSequences())
                .lengthPenalty(r.lengthPenalty())
                .earlyStopping(earlyStopping(r.earlyStopping()))
                .padTokenId(r.padTokenId());
        r.noRepeatNgramSize().ifPresent(b::noRepeatNgramSize);
        endTokens(r.eosTokenIds(), b);
        if (extra != null) {
            b.logitsProcessor(extra);
        }
        net.gpt2j.runtime.generate.BeamResult result = runtime.beam(PromptBatch.single(r.ids()), b.build(),
                BeamLengthConvention.forHfVersion(r.hfVersion()));
        double[] scores = new double[result.sequencesScores().length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = result.sequencesScores()[i];
        }
        return new BeamResult(result.sequences(), scores);
    }

    private static EarlyStopping earlyStopping(net.gpt2j.kit.EarlyStopping e) {
        switch (e) {
            case TRUE:
                return EarlyStopping.WHEN_BEAMS_FULL;
            case NEVER:
                return EarlyStopping.NEVER;
            default:
                return EarlyStopping.HEURISTIC;
        }
    }

    @Override
    public WarpedDistribution warp(int[] ids, double temperature, int topK, double topP) {
        float[][] all = runtime.scorer().logitsForAllPositions(ids);
        float[] last = all[all.length - 1];
        WarpedTop w = WarpedTop.of(ids, last, temperature, topK, topP, WARPER_TOP);
        return new WarpedDistribution(w.kept(), w.topIds(), w.topProbs());
    }

    @Override
    public double perplexity(int[] ids, int maxLength, int stride) {
        return SlidingWindowPerplexity.of(runtime.scorer(), ids, maxLength, stride);
    }

    @Override
    public double sequenceLogprob(int[] prompt, int[] output) {
        return SequenceLogProb.of(runtime.scorer(), output, prompt.length);
    }

    @Override
    public Optional<ProbeRun> probes(int[] ids) {
        Map<String, float[]> probes = new LinkedHashMap<>();
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        runtime.model().logits(new int[][] {ids}, new int[][] {mask}, (name, value) -> probes.put(name, value.toFloatArray()));
        return Optional.of(new ProbeRun(probes));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
