package net.gpt2j.runtime.generate;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import net.gpt2j.kit.BeamRequest;
import net.gpt2j.kit.Capability;
import net.gpt2j.kit.Gpt2Port;
import net.gpt2j.kit.GreedyRequest;
import net.gpt2j.kit.ModelSpec;
import net.gpt2j.kit.WarpedDistribution;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;

/**
 * The runtime's generation code (greedy, beam, processors, warpers, perplexity) over the plain-Java
 * reference forward {@link PlainJavaGpt2}, seen through the kit's {@link Gpt2Port}: a second port
 * beside the CLI's DJL-backed {@code RuntimePort}, so the runtime's own golden tests run through the
 * kit with its one tolerance table instead of reading the JSON and choosing tolerances themselves.
 */
final class PlainJavaPort implements Gpt2Port {

    /** How many of the most probable ids a warper check compares (the goldens record the top 50). */
    private static final int WARPER_TOP = 50;

    private static final Gpt2Tokenizer TOKENIZER = Gpt2Tokenizer.fromGoldenData();

    private final PlainJavaGpt2 model;
    private final Function<String, BeamLengthConvention> beamScoring;

    private PlainJavaPort(PlainJavaGpt2 model, Function<String, BeamLengthConvention> beamScoring) {
        this.model = model;
        this.beamScoring = beamScoring;
    }

    /** The kit's provider: the reference model of a synthetic spec, the tokenizer alone for the tokenizer goldens. */
    static Gpt2Port forSpec(ModelSpec spec) {
        return forSpec(spec, BeamLengthConvention::forHfVersion);
    }

    /** As {@link #forSpec(ModelSpec)}, choosing the beam convention by {@code beamScoring} (a test may plant a wrong one). */
    static Gpt2Port forSpec(ModelSpec spec, Function<String, BeamLengthConvention> beamScoring) {
        return switch (spec.source()) {
            case SYNTHETIC -> new PlainJavaPort(new PlainJavaGpt2(spec.syntheticWeights(), false), beamScoring);
            case TOKENIZER_ONLY -> new TokenizerOnly();
            case CHECKPOINT -> throw new IllegalArgumentException("the plain-Java reference builds synthetic fixtures only, not "
                    + spec);
        };
    }

    /** No probes: the reference forward keeps none. */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.TOKENIZER, Capability.LOGITS, Capability.GREEDY, Capability.BATCH_PADDING,
                Capability.NO_REPEAT_NGRAM, Capability.REPETITION_PENALTY, Capability.EOS_STOP, Capability.MIN_NEW_TOKENS,
                Capability.BEAM, Capability.BEAM_LEGACY_SCORING, Capability.WARPERS, Capability.PERPLEXITY,
                Capability.SEQUENCE_LOGPROB, Capability.EOS_TOKEN_LIST);
    }

    @Override
    public int[] tokenize(String text) {
        return TOKENIZER.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return TOKENIZER.decode(ids);
    }

    @Override
    public float[][][] logits(int[][] ids, int[][] attentionMask) {
        float[][][] out = new float[ids.length][][];
        for (int r = 0; r < ids.length; r++) {
            if (Arrays.stream(attentionMask[r]).anyMatch(m -> m != 1)) {
                throw new IllegalArgumentException("the reference port computes all positions of unpadded prompts only");
            }
            out[r] = model.logitsForAllPositions(ids[r]);
        }
        return out;
    }

    @Override
    public int[][] greedy(GreedyRequest r) {
        GenerationConfig.Builder b = GenerationConfig.builder().maxNewTokens(r.maxNewTokens()).minNewTokens(r.minNewTokens())
                .padTokenId(r.padTokenId());
        r.noRepeatNgramSize().ifPresent(b::noRepeatNgramSize);
        r.repetitionPenalty().ifPresent(b::repetitionPenalty);
        if (r.eosTokenIds().length > 0) {
            b.eosTokenIds(r.eosTokenIds());
        }
        return new GreedySearch(b.build()).generate(model, new PromptBatch(r.ids(), r.attentionMask())).sequences();
    }

    @Override
    public net.gpt2j.kit.BeamResult beam(BeamRequest r) {
        GenerationConfig.Builder b = GenerationConfig.builder().maxNewTokens(r.maxNewTokens()).minNewTokens(r.minNewTokens())
                .numBeams(r.numBeams()).numReturnSequences(r.numReturnSequences()).lengthPenalty(r.lengthPenalty())
                .earlyStopping(switch (r.earlyStopping()) {
                    case TRUE -> EarlyStopping.WHEN_BEAMS_FULL;
                    case NEVER -> EarlyStopping.NEVER;
                    case FALSE -> EarlyStopping.HEURISTIC;
                })
                .padTokenId(r.padTokenId());
        r.noRepeatNgramSize().ifPresent(b::noRepeatNgramSize);
        if (r.eosTokenIds().length > 0) {
            b.eosTokenIds(r.eosTokenIds());
        }
        BeamResult result = new BeamSearch(b.build(), beamScoring.apply(r.hfVersion()))
                .generate(model, PromptBatch.single(r.ids()));
        double[] scores = new double[result.sequencesScores().length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = result.sequencesScores()[i];
        }
        return new net.gpt2j.kit.BeamResult(result.sequences(), scores);
    }

    @Override
    public WarpedDistribution warp(int[] ids, double temperature, int topK, double topP) {
        float[] last = model.prefill(new int[][] {ids}, PromptBatch.single(ids).attentionMask())[0];
        WarpedTop w = WarpedTop.of(ids, last, temperature, topK, topP, WARPER_TOP);
        return new WarpedDistribution(w.kept(), w.topIds(), w.topProbs());
    }

    @Override
    public double perplexity(int[] ids, int maxLength, int stride) {
        return SlidingWindowPerplexity.of(model, ids, maxLength, stride);
    }

    @Override
    public double sequenceLogprob(int[] prompt, int[] output) {
        return SequenceLogProb.of(model, output, prompt.length);
    }

    /** The tokenizer goldens need no weights. */
    private static final class TokenizerOnly implements Gpt2Port {
        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.TOKENIZER);
        }

        @Override
        public int[] tokenize(String text) {
            return TOKENIZER.encode(text);
        }

        @Override
        public String decode(int[] ids) {
            return TOKENIZER.decode(ids);
        }
    }
}
