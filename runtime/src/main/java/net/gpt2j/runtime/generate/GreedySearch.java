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
        float[] minGap = {Float.POSITIVE_INFINITY};
        int[][] sequences = TokenByTokenDecoder.run(source, prompts, config, (row, step, scores) -> {
            minGap[0] = Math.min(minGap[0], ScoreMath.top2Gap(scores));
            return ScoreMath.argmax(scores);
        });
        return new GreedyResult(sequences, minGap[0]);
    }
}
