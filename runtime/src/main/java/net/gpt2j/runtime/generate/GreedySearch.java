package net.gpt2j.runtime.generate;

/** HF's greedy decoding ({@code do_sample=False, num_beams=1}): argmax of the processed scores. */
public final class GreedySearch {

    private final GenerationConfig config;

    public GreedySearch(GenerationConfig config) {
        if (config.doSample() || config.numBeams() != 1) {
            throw new IllegalArgumentException("greedy search needs do_sample=false and num_beams=1, got do_sample="
                    + config.doSample() + ", num_beams=" + config.numBeams());
        }
        this.config = config;
    }

    public GreedyResult generate(LogitsSource source, PromptBatch prompts) {
        return generate(source, prompts, config.tokenListener()); // the listener set on the config, if any
    }

    /**
     * Greedy search that shows {@code listener} each token as it is decided. Without processors the
     * argmax is taken where the model keeps its logits: one token and one margin per row come back.
     */
    public GreedyResult generate(LogitsSource source, PromptBatch prompts, TokenListener listener) {
        float[] minGap = {Float.POSITIVE_INFINITY};
        int[][] sequences = TokenByTokenDecoder.run(source, prompts, config, new TokenByTokenDecoder.Chooser() {
            @Override
            public int choose(int row, int step, float[] scores) {
                minGap[0] = Math.min(minGap[0], ScoreMath.top2Gap(scores));
                return ScoreMath.argmax(scores);
            }

            @Override
            public boolean isArgmax() {
                return true;
            }

            @Override
            public void argmaxTaken(int row, int step, int token, float gap) {
                minGap[0] = Math.min(minGap[0], gap);
            }
        }, listener);
        return new GreedyResult(sequences, minGap[0]);
    }
}
