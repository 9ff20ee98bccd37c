package net.gpt2j.runtime.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.gpt2j.format.Gpt2Constants;

/**
 * HuggingFace's {@code GenerationConfig} for GPT-2, immutable and validated when built. Defaults are
 * what {@code GPT2LMHeadModel.generate} uses: greedy, {@code max_length} 20, {@code top_k} 50 (used
 * only when sampling), end-of-sequence and padding both 50256 ({@code <|endoftext|>}: GPT-2's config
 * sets {@code eos_token_id} 50256 and HF pads with it when no pad id is set).
 * {@link Builder#noEosToken()} turns stopping off altogether; {@link Builder#eosTokenIds(int...)} stops
 * at any of several end tokens, as HF's {@code eos_token_id} given as a list does.
 */
public final class GenerationConfig {


    private final Integer maxNewTokens;
    private final int maxLength;
    private final int minNewTokens;
    private final boolean doSample;
    private final int numBeams;
    private final int numReturnSequences;
    private final double temperature;
    private final int topK;
    private final double topP;
    private final double repetitionPenalty;
    private final int noRepeatNgramSize;
    private final double lengthPenalty;
    private final EarlyStopping earlyStopping;
    private final int[] eosTokenIds;
    private final int padTokenId;
    private final long seed;
    private final List<LogitsProcessor> customProcessors;
    private final TokenListener tokenListener;

    private GenerationConfig(Builder b) {
        this.maxNewTokens = b.maxNewTokens;
        this.maxLength = b.maxLength;
        this.minNewTokens = b.minNewTokens;
        this.doSample = b.doSample;
        this.numBeams = b.numBeams;
        this.numReturnSequences = b.numReturnSequences;
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.repetitionPenalty = b.repetitionPenalty;
        this.noRepeatNgramSize = b.noRepeatNgramSize;
        this.lengthPenalty = b.lengthPenalty;
        this.earlyStopping = b.earlyStopping;
        this.eosTokenIds = b.eosTokenIds.clone();
        this.padTokenId = b.padTokenId;
        this.seed = b.seed;
        this.customProcessors = List.copyOf(b.customProcessors);
        this.tokenListener = b.tokenListener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many tokens to generate after a prompt of this length: {@code max_new_tokens} when set,
     * else {@code max_length - promptLength} (HF's precedence). Refuses a prompt that leaves no room
     * and a total beyond the model's context.
     */
    public int newTokensFor(int promptLength, int maxSequenceLength) {
        int newTokens = maxNewTokens != null ? maxNewTokens : maxLength - promptLength;
        if (newTokens < 1) {
            throw new IllegalArgumentException("max_length (" + maxLength + ") leaves no room after a prompt of "
                    + promptLength + " tokens; set max_new_tokens or a larger max_length");
        }
        if (promptLength + newTokens > maxSequenceLength) {
            throw new IllegalArgumentException("prompt of " + promptLength + " tokens plus " + newTokens
                    + " new tokens exceeds the model's n_ctx of " + maxSequenceLength);
        }
        return newTokens;
    }

    /**
     * The processors in the order HF's {@code _get_logits_processor} builds them (repetition penalty,
     * no-repeat n-gram, min new tokens), followed, when sampling, by the warpers (temperature, top-k,
     * top-p). A setting at its neutral value adds nothing, as in HF.
     */
    public List<LogitsProcessor> processors(int promptLength) {
        List<LogitsProcessor> list = new ArrayList<>();
        if (repetitionPenalty != 1.0) {
            list.add(new RepetitionPenaltyProcessor(repetitionPenalty));
        }
        if (noRepeatNgramSize > 0) {
            list.add(new NoRepeatNGramProcessor(noRepeatNgramSize));
        }
        if (minNewTokens > 0 && eosTokenIds.length > 0) {
            list.add(new MinNewTokensProcessor(promptLength, minNewTokens, eosTokenIds));
        }
        // HF appends a user's logits_processor list after the processors it builds itself
        list.addAll(customProcessors);
        if (doSample) {
            list.addAll(warpers());
        }
        return list;
    }

    /** The sampling warpers alone, in HF's order: temperature, top-k, top-p. */
    public List<LogitsProcessor> warpers() {
        List<LogitsProcessor> list = new ArrayList<>();
        if (temperature != 1.0) {
            list.add(new TemperatureWarper(temperature));
        }
        if (topK != 0) {
            list.add(new TopKWarper(topK));
        }
        if (topP < 1.0) {
            list.add(new TopPWarper(topP));
        }
        return list;
    }

    public OptionalInt maxNewTokens() {
        return maxNewTokens == null ? OptionalInt.empty() : OptionalInt.of(maxNewTokens);
    }

    public int maxLength() { return maxLength; }
    public int minNewTokens() { return minNewTokens; }
    public boolean doSample() { return doSample; }
    public int numBeams() { return numBeams; }
    public int numReturnSequences() { return numReturnSequences; }
    public double temperature() { return temperature; }
    public int topK() { return topK; }
    public double topP() { return topP; }
    public double repetitionPenalty() { return repetitionPenalty; }
    public int noRepeatNgramSize() { return noRepeatNgramSize; }
    public double lengthPenalty() { return lengthPenalty; }
    public EarlyStopping earlyStopping() { return earlyStopping; }
    /** The first end token, or none: HF's {@code eos_token_id[0]}, the one it pads with when no pad id is set. */
    public OptionalInt eosTokenId() { return eosTokenIds.length == 0 ? OptionalInt.empty() : OptionalInt.of(eosTokenIds[0]); }
    /** Every end token (empty: generation never stops early). */
    public int[] eosTokenIds() { return eosTokenIds.clone(); }
    /** Whether {@code token} ends a sequence. */
    public boolean isEos(int token) {
        for (int eos : eosTokenIds) {
            if (eos == token) {
                return true;
            }
        }
        return false;
    }
    public int padTokenId() { return padTokenId; }
    public long seed() { return seed; }
    public TokenListener tokenListener() { return tokenListener; }

    /**
     * Mutable builder; {@link #build()} validates every argument and names the one that is wrong, with an
     * {@link InvalidGenerationSetting}.
     */
    public static final class Builder {
        private Integer maxNewTokens;
        private int maxLength = 20;
        private int minNewTokens;
        private boolean doSample;
        private int numBeams = 1;
        private int numReturnSequences = 1;
        private double temperature = 1.0;
        private int topK = 50;
        private double topP = 1.0;
        private double repetitionPenalty = 1.0;
        private int noRepeatNgramSize;
        private double lengthPenalty = 1.0;
        private EarlyStopping earlyStopping = EarlyStopping.HEURISTIC;
        // GPT-2's <|endoftext|>: its end-of-sequence and, in HF's generate, its padding id
        private int[] eosTokenIds = {Gpt2Constants.END_OF_TEXT};
        private int padTokenId = Gpt2Constants.END_OF_TEXT;
        private long seed;
        private final List<LogitsProcessor> customProcessors = new ArrayList<>();
        private TokenListener tokenListener = TokenListener.NONE;

        private Builder() {}

        public Builder maxNewTokens(int v) { maxNewTokens = v; return this; }
        public Builder maxLength(int v) { maxLength = v; return this; }
        public Builder minNewTokens(int v) { minNewTokens = v; return this; }
        public Builder doSample(boolean v) { doSample = v; return this; }
        public Builder numBeams(int v) { numBeams = v; return this; }
        public Builder numReturnSequences(int v) { numReturnSequences = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder repetitionPenalty(double v) { repetitionPenalty = v; return this; }
        public Builder noRepeatNgramSize(int v) { noRepeatNgramSize = v; return this; }
        public Builder lengthPenalty(double v) { lengthPenalty = v; return this; }
        public Builder earlyStopping(EarlyStopping v) { earlyStopping = v; return this; }
        public Builder eosTokenId(int v) { eosTokenIds = new int[] {v}; return this; }
        /** Several end tokens (HF's {@code eos_token_id} as a list): a row ends at any of them. */
        public Builder eosTokenIds(int... v) { eosTokenIds = v.clone(); return this; }
        /** No end-of-sequence token: every row runs to its length limit. */
        public Builder noEosToken() { eosTokenIds = new int[0]; return this; }
        public Builder padTokenId(int v) { padTokenId = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        /**
         * A processor of your own, run after the built-in ones and before the warpers, as HF's
         * {@code generate(logits_processor=...)} does. Processors must be stateless across rows,
         * since beam search reorders rows between steps.
         */
        public Builder logitsProcessor(LogitsProcessor p) { customProcessors.add(java.util.Objects.requireNonNull(p, "logits processor")); return this; }

        /** Told each token greedy search or sampling decides, as it is decided (for streaming output). */
        public Builder tokenListener(TokenListener l) { tokenListener = java.util.Objects.requireNonNull(l, "token listener"); return this; }

        public GenerationConfig build() {
            if (maxNewTokens != null && maxNewTokens < 1) {
                throw bad("max_new_tokens", "must be >= 1", maxNewTokens);
            }
            if (maxLength < 1) {
                throw bad("max_length", "must be >= 1", maxLength);
            }
            if (minNewTokens < 0) {
                throw bad("min_new_tokens", "must be >= 0", minNewTokens);
            }
            if (numBeams < 1) {
                throw bad("num_beams", "must be >= 1", numBeams);
            }
            if (numReturnSequences < 1) {
                throw bad("num_return_sequences", "must be >= 1", numReturnSequences);
            }
            if (!doSample && numReturnSequences > numBeams) {
                throw new InvalidGenerationSetting("num_return_sequences (" + numReturnSequences
                        + ") must be <= num_beams (" + numBeams + ") without sampling", "num_return_sequences", "num_beams");
            }
            if (doSample && numBeams > 1) {
                throw new InvalidGenerationSetting("num_beams (" + numBeams
                        + ") > 1 with do_sample (beam sampling) is not supported", "num_beams", "do_sample");
            }
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw bad("temperature", "must be a finite number > 0", temperature);
            }
            if (topK < 0) {
                throw bad("top_k", "must be >= 0 (0 turns it off)", topK);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw bad("top_p", "must be in (0, 1]", topP);
            }
            if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
                throw bad("repetition_penalty", "must be a finite number > 0", repetitionPenalty);
            }
            if (noRepeatNgramSize < 0) {
                throw bad("no_repeat_ngram_size", "must be >= 0 (0 turns it off)", noRepeatNgramSize);
            }
            if (Double.isNaN(lengthPenalty) || Double.isInfinite(lengthPenalty)) {
                throw bad("length_penalty", "must be a finite number", lengthPenalty);
            }
            if (earlyStopping == null) {
                throw new InvalidGenerationSetting("early_stopping must not be null", "early_stopping");
            }
            if (padTokenId < 0) {
                throw bad("pad_token_id", "must be >= 0", padTokenId);
            }
            for (int eos : eosTokenIds) {
                if (eos < 0) {
                    throw bad("eos_token_id", "must be >= 0", eos);
                }
            }
            return new GenerationConfig(this);
        }

        private static InvalidGenerationSetting bad(String name, String rule, Object value) {
            return new InvalidGenerationSetting(name + " " + rule + ", got " + value, name);
        }
    }
}
