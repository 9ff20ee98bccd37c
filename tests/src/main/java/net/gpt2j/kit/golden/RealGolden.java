package net.gpt2j.kit.golden;

import java.util.List;
import java.util.Map;

/**
 * A {@code gpt2-real-golden/1} file: results others recorded on OpenAI's released weights. Each
 * case names its {@code model} ("124M", "1558M") and needs that checkpoint.
 */
public record RealGolden(String name, String note, List<RealCase> cases) implements GoldenFile {

    @Override
    public GoldenKind kind() {
        return GoldenKind.REAL;
    }

    /** One case; {@link #kind()} is the file's {@code kind} field. */
    public sealed interface RealCase permits Generation, Logits, Perplexity {
        String model();

        String source();

        String kind();
    }

    /**
     * A greedy ({@code numBeams == 1}) or beam generation. The prompt is {@code inputIds} or, when
     * absent, {@code text}; the length is {@code maxNewTokens} or {@code maxLength} (prompt included).
     * Expected is {@code outputIds} and/or {@code outputText}; {@code sequenceLogprob} may be null.
     */
    public record Generation(
            String model,
            String source,
            String kind,
            int[] inputIds,
            String text,
            Integer maxLength,
            Integer maxNewTokens,
            int numBeams,
            Integer noRepeatNgramSize,
            int[] outputIds,
            String outputText,
            Double sequenceLogprob)
            implements RealCase {}

    /** Logits slices: for each listed position, ids 0..2 ({@code first3}) and the last three ids ({@code last3}). */
    public record Logits(
            String model, String source, String kind, int[] inputIds, String text, double tolerance, Map<Integer, Row> rows)
            implements RealCase {}

    public record Row(double[] first3, double[] last3) {}

    /** A perplexity that needs a data set the kit does not ship ({@code needs}). */
    public record Perplexity(String model, String source, String kind, double ppl, String needs) implements RealCase {}
}
