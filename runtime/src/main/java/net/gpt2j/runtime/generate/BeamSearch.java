package net.gpt2j.runtime.generate;

import java.util.List;

/**
 * HF's beam search ({@code num_beams > 1}, no sampling). Each step: float32 {@code log_softmax} of the
 * raw logits, then the processors (on log-probabilities, as both 4.28 and 4.57 order them), then each
 * beam's running score is added; the best {@code 2 * num_beams} over all beams of a prompt go to the
 * {@link BeamScorer}. The only version-dependent rule, the length a finished hypothesis is divided
 * by, comes from the {@link BeamLengthConvention}.
 */
public final class BeamSearch {

    private final GenerationConfig config;
    private final BeamLengthConvention convention;

    public BeamSearch(GenerationConfig config, BeamLengthConvention convention) {
        if (config.doSample()) {
            throw new IllegalArgumentException("beam search needs do_sample=false");
        }
        this.config = config;
        this.convention = convention;
    }

    public BeamResult generate(LogitsSource source, PromptBatch prompts) {
        prompts.requireIdsBelow(source.vocabSize());
        int k = config.numBeams();
        int batch = prompts.rows();
        int rows = batch * k;
        int promptLength = prompts.length();
        int newTokens = config.newTokensFor(promptLength, source.maxSequenceLength());
        List<LogitsProcessor> processors = config.processors(promptLength);
        BeamScorer scorer = new BeamScorer(batch, config, convention, promptLength, newTokens);

        float[][] promptLogits = source.prefill(prompts.inputIds(), prompts.attentionMask());
        int[] expand = new int[rows];
        int[][] ids = new int[rows][];
        float[][] logits = new float[rows][];
        float[] beamScores = new float[rows];
        for (int r = 0; r < rows; r++) {
            expand[r] = r / k;
            ids[r] = prompts.inputIds()[r / k].clone();
            logits[r] = promptLogits[r / k];
            // HF: only the first beam starts live, so step one does not pick the same token k times
            beamScores[r] = r % k == 0 ? 0f : -1e9f;
        }
        source.reorder(expand);

        for (int step = 0; step < newTokens; step++) {
            float[][] scores = new float[rows][];
            for (int r = 0; r < rows; r++) {
                scores[r] = ScoreMath.logSoftmax(logits[r]);
            }
            for (LogitsProcessor p : processors) {
                p.process(ids, scores);
            }
            for (int r = 0; r < rows; r++) {
                float add = beamScores[r];
                float[] row = scores[r];
                for (int v = 0; v < row.length; v++) {
                    row[v] += add;
                }
            }
            BeamScorer.Candidate[][] candidates = new BeamScorer.Candidate[batch][];
            for (int b = 0; b < batch; b++) {
                candidates[b] = TopCandidates.select(scores, b * k, k, 2 * k);
            }
            BeamScorer.Selection next = scorer.process(candidates, ids, step + 1);
            int[][] nextIds = new int[rows][];
            for (int r = 0; r < rows; r++) {
                nextIds[r] = TokenByTokenDecoder.append(ids[next.sourceRows()[r]], next.tokens()[r]);
            }
            ids = nextIds;
            beamScores = next.scores();
            if (scorer.allDone() || step == newTokens - 1) {
                break;
            }
            source.reorder(next.sourceRows());
            logits = source.step(next.tokens());
        }
        return scorer.finalize(ids, beamScores, ids[0].length - promptLength, config.numReturnSequences());
    }
}
