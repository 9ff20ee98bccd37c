package net.gpt2j.kit.golden;

import java.util.List;
import java.util.Map;
import net.gpt2j.format.Hparams;
import net.gpt2j.kit.EarlyStopping;

/**
 * A {@code gpt2-golden/1} file: what one HuggingFace version produced on one synthetic model.
 * Optional settings the file leaves out are {@code null} (HF's defaults then applied).
 */
public record ModelGolden(
        String name,
        RecordedWith recordedWith,
        String fixture,
        long seed,
        Hparams hparams,
        Map<String, float[]> check,
        List<LogitsCase> logits,
        List<GreedyCase> greedy,
        List<BeamCase> beam,
        List<BatchGreedyCase> batchGreedy,
        List<WarperCase> warpers,
        List<PerplexityCase> perplexity)
        implements GoldenFile {

    @Override
    public GoldenKind kind() {
        return GoldenKind.MODEL;
    }

    /** One {@code [id, logit]} pair. */
    public record IdLogit(int id, double logit) {}

    /** What HF computed at one position: double {@code logsumexp}, {@code argmax}, the top 10 and fixed probe ids. */
    public record PositionLogits(double logsumexp, int argmax, List<IdLogit> top, List<IdLogit> probe) {}

    /** {@code logits[i]}: every position of one prompt, plus the whole last row. */
    public record LogitsCase(int[] inputIds, List<PositionLogits> positions, float[] lastFull) {}

    /**
     * {@code greedy[i]}; {@code sequenceLogprob} is absent for the eos cases. {@code minNewTokens} is 0 where
     * the golden does not set it; {@code eosTokenIds} is null where it does not set {@code eos_token_id}
     * (HF's default 50256 in force), else the one id or the list of ids it gives.
     */
    public record GreedyCase(
            int[] inputIds,
            int maxNewTokens,
            int minNewTokens,
            Integer noRepeatNgramSize,
            Double repetitionPenalty,
            int[] eosTokenIds,
            int[] outputIds,
            double minTop2Gap,
            Double sequenceLogprob) {

        /** The single end token, or null where none is set; a list of several has no single one ({@link #eosTokenIds()}). */
        public Integer eosTokenId() {
            return ModelGolden.singleEos(eosTokenIds);
        }
    }

    /** {@code beam[i]}: {@code sequences} best first, right-padded with the pad id after an early end. */
    public record BeamCase(
            int[] inputIds,
            int maxNewTokens,
            int minNewTokens,
            int numBeams,
            int numReturnSequences,
            double lengthPenalty,
            EarlyStopping earlyStopping,
            Integer noRepeatNgramSize,
            int[] eosTokenIds,
            int[][] sequences,
            double[] sequencesScores) {

        /** The single end token, or null where none is set; a list of several has no single one ({@link #eosTokenIds()}). */
        public Integer eosTokenId() {
            return ModelGolden.singleEos(eosTokenIds);
        }
    }

    /** {@code batch_greedy[i]}: a left-padded batch generated in one call. */
    public record BatchGreedyCase(
            int[][] inputIds,
            int[][] attentionMask,
            int padTokenId,
            int maxNewTokens,
            int minNewTokens,
            Integer noRepeatNgramSize,
            Double repetitionPenalty,
            int[] eosTokenIds,
            int[][] outputIds,
            double minTop2Gap) {

        /** The single end token, or null where none is set; a list of several has no single one ({@link #eosTokenIds()}). */
        public Integer eosTokenId() {
            return ModelGolden.singleEos(eosTokenIds);
        }
    }

    /** {@code warpers[i]}: temperature, then top-k (0 = off), then top-p (1.0 = off), then softmax. */
    public record WarperCase(
            int[] inputIds, double temperature, int topK, double topP, int kept, int[] topIds, double[] topProbs) {}

    static Integer singleEos(int[] ids) {
        if (ids == null) {
            return null;
        }
        if (ids.length != 1) {
            throw new IllegalStateException("this case sets " + ids.length + " end tokens " + java.util.Arrays.toString(ids)
                    + "; read eosTokenIds()");
        }
        return ids[0];
    }

    /** {@code perplexity[i]}: HF's sliding-window perplexity over {@code text}. */
    public record PerplexityCase(String text, int maxLength, int stride, double ppl) {}
}
