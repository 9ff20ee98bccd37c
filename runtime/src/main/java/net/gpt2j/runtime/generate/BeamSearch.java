package net.gpt2j.runtime.generate;

import java.util.List;

/**
 * HF's beam search ({@code num_beams > 1}, no sampling). Each step: float32 {@code log_softmax} of the
 * raw logits, then the processors (on log-probabilities, as both 4.28 and 4.57 order them), then each
 * beam's running score is added; the best {@code 2 * num_beams} over all beams of a prompt go to the
 * {@link BeamScorer}. The only version-dependent rule, the length a finished hypothesis is divided
 * by, comes from the {@link BeamLengthConvention}.
 *
 * <p>The step up to its {@code topk} is {@link NextTokenLogits#beamCandidates}: a source that keeps
 * its logits on a device computes it there and hands back only the candidates.
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
        // HF keeps max(2, 1 + end tokens) * num_beams candidates a step, so that enough run on after
        // every beam that could end does
        int candidatesPerPrompt = Math.max(2, 1 + config.eosTokenIds().length) * k;
        int batch = prompts.rows();
        int rows = batch * k;
        int promptLength = prompts.length();
        int newTokens = config.newTokensFor(promptLength, source.maxSequenceLength());
        List<LogitsProcessor> processors = config.processors(promptLength);
        BeamScorer scorer = new BeamScorer(batch, config, convention, promptLength, newTokens);

        // the prompts run once; each prompt's logits serve all its beams on the first step
        NextTokenLogits logits = source.prefillLogits(prompts.inputIds(), prompts.attentionMask()).repeatEachRow(k);
        int[][] ids = new int[rows][];
        float[] beamScores = new float[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = prompts.inputIds()[r / k].clone();
            // HF: only the first beam starts live, so step one does not pick the same token k times
            beamScores[r] = r % k == 0 ? 0f : -1e9f;
        }
        int beamRowsPerCacheRow = k; // the cache holds one row per prompt until the first reorder

        for (int step = 0; step < newTokens; step++) {
            BeamCandidate[][] candidates = logits.beamCandidates(ids, processors, beamScores, k, candidatesPerPrompt);
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
            // on the first step, beam row r of the chosen sources is the cache's prompt row r / k:
            // the prompts expand to their beams and take the first choice in one reorder
            int[] cacheRows = new int[rows];
            for (int r = 0; r < rows; r++) {
                cacheRows[r] = next.sourceRows()[r] / beamRowsPerCacheRow;
            }
            beamRowsPerCacheRow = 1;
            source.reorder(cacheRows);
            logits = source.stepLogits(next.tokens());
        }
        return scorer.finalize(ids, beamScores, ids[0].length - promptLength, config.numReturnSequences());
    }
}
