package net.gpt2j.runtime.generate;

import java.util.List;

/**
 * HF's {@code BeamSearchScorer}: given each prompt's best {@code 2 * num_beams} candidates of a step,
 * moves those ending on end-of-sequence (only from the top {@code num_beams} ranks) into the
 * prompt's {@link BeamHypotheses} and picks the {@code num_beams} running beams for the next step;
 * at the end, adds the running beams and returns the best hypotheses. Keeps hypotheses apart from the
 * search loop, which only scores.
 */
final class BeamScorer {

    /** The running beams chosen for the next step, {@code [batch * numBeams]}. */
    record Selection(float[] scores, int[] tokens, int[] sourceRows) {}

    private final int numBeams;
    private final GenerationConfig config;
    private final int pad;
    private final BeamHypotheses[] hypotheses;
    private final boolean[] done;

    BeamScorer(int batch, GenerationConfig config, BeamLengthConvention convention, int promptLength, int maxNewTokens) {
        this.numBeams = config.numBeams();
        this.config = config;
        this.pad = config.padTokenId();
        this.hypotheses = new BeamHypotheses[batch];
        for (int b = 0; b < batch; b++) {
            hypotheses[b] = new BeamHypotheses(numBeams, config.lengthPenalty(), config.earlyStopping(),
                    convention, promptLength, maxNewTokens);
        }
        this.done = new boolean[batch];
    }

    /**
     * @param candidates per prompt, {@code 2 * num_beams} candidates best first
     * @param ids the current ids of every row (before this step's token)
     * @param generatedLength tokens generated once this step's token is appended
     */
    Selection process(BeamCandidate[][] candidates, int[][] ids, int generatedLength) {
        int batch = candidates.length;
        float[] scores = new float[batch * numBeams];
        int[] tokens = new int[batch * numBeams];
        int[] sources = new int[batch * numBeams];
        for (int b = 0; b < batch; b++) {
            int base = b * numBeams;
            if (done[b]) {
                for (int j = 0; j < numBeams; j++) {
                    scores[base + j] = 0;
                    tokens[base + j] = pad;
                    sources[base + j] = base;
                }
                continue;
            }
            int filled = 0;
            for (int rank = 0; rank < candidates[b].length && filled < numBeams; rank++) {
                BeamCandidate c = candidates[b][rank];
                if (config.isEos(c.token())) {
                    if (rank >= numBeams) {
                        continue; // HF: an end-of-sequence outside the top num_beams is not a hypothesis
                    }
                    // the end token the beam took (transformers from 4.50 keeps it; 4.28 wrote eos_token_id[0])
                    hypotheses[b].add(TokenByTokenDecoder.append(ids[c.sourceRow()], c.token()), c.score(),
                            generatedLength, true);
                } else {
                    scores[base + filled] = c.score();
                    tokens[base + filled] = c.token();
                    sources[base + filled] = c.sourceRow();
                    filled++;
                }
            }
            if (filled < numBeams) {
                throw new IllegalStateException("beam search found only " + filled + " running beams of "
                        + numBeams + " for prompt " + b + ": too many candidates ended on end-of-sequence");
            }
            done[b] = hypotheses[b].isDone(candidates[b][0].score(), generatedLength);
        }
        return new Selection(scores, tokens, sources);
    }

    boolean allDone() {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    /** Adds the still-running beams of unfinished prompts and returns the best {@code numReturn} per prompt. */
    BeamResult finalize(int[][] ids, float[] beamScores, int generatedLength, int numReturn) {
        int batch = hypotheses.length;
        for (int b = 0; b < batch; b++) {
            if (done[b]) {
                continue;
            }
            for (int j = 0; j < numBeams; j++) {
                int row = b * numBeams + j;
                hypotheses[b].add(ids[row], beamScores[row], generatedLength, false);
            }
        }
        int[][] sequences = new int[batch * numReturn][];
        float[] scores = new float[batch * numReturn];
        int width = 0;
        for (int b = 0; b < batch; b++) {
            List<BeamHypotheses.Hypothesis> best = hypotheses[b].bestFirst();
            for (int j = 0; j < numReturn; j++) {
                BeamHypotheses.Hypothesis h = best.get(j);
                sequences[b * numReturn + j] = h.ids();
                scores[b * numReturn + j] = (float) h.score();
                width = Math.max(width, h.ids().length);
            }
        }
        for (int i = 0; i < sequences.length; i++) {
            int[] padded = java.util.Arrays.copyOf(sequences[i], width);
            java.util.Arrays.fill(padded, sequences[i].length, width, pad);
            sequences[i] = padded;
        }
        return new BeamResult(sequences, scores);
    }
}
