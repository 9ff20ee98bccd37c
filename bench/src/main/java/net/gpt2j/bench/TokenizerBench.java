package net.gpt2j.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;

/**
 * {@code bench/run tokenizer [megabytes] [runs]}: encoding speed of {@link Gpt2Tokenizer} against
 * JTokkit's r50k_base (GPT-2's encoding) on the same text, MB/s (10^6 UTF-8 bytes per second), the
 * two alternating run by run. Before any timing both must give identical ids on each text.
 *
 * <p>Two texts, because our tokenizer caches pre-tokens and JTokkit does not: "warm" is the golden
 * cases repeated, encoded by one long-lived instance (a server's steady state); "cold" is text
 * whose words do not repeat ({@link BenchTexts#novelWords}), encoded by a fresh instance each run
 * (built outside the clock), so no cache can flatter the figure. Both tokenizers are JIT-warmed on
 * the warm text first: "cold" means an empty cache, not an unwarmed JVM.
 */
final class TokenizerBench {

    private TokenizerBench() {}

    static int run(String[] args) {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        if (megabytes < 1 || runs < 1) {
            throw new IllegalArgumentException("megabytes and runs must be >= 1, got " + megabytes + " and " + runs);
        }
        Gpt2Tokenizer ours = Gpt2Tokenizer.fromGoldenData();
        Encoding jtokkit = r50k();
        String warm = BenchTexts.repeatedGoldenCases(megabytes * 1_000_000);
        String cold = BenchTexts.novelWords(ours, megabytes * 1_000_000, Shapes.SEED);

        Table table = new Table(System.out, "tokenizer: gpt2j Gpt2Tokenizer vs JTokkit r50k_base, MB/s, "
                + runs + " runs each, alternating");
        for (int i = 0; i < 3; i++) { // JIT warm-up of both, on the warm text only
            ours.encode(warm);
            jtokkit.encode(warm);
        }
        measure(table, "warm", warm, runs, () -> ours, () -> jtokkit);
        measure(table, "cold", cold, runs, Gpt2Tokenizer::fromGoldenData, TokenizerBench::r50k);
        table.note("warm: the golden tokenizer cases repeated, one long-lived instance each (our pre-token cache hits)");
        table.note("cold: two vocabulary words glued per word, shuffled (seed " + Shapes.SEED
                + "), a fresh instance each run: every pre-token is new to our cache");
        return 0;
    }

    private static void measure(Table table, String name, String text, int runs, Supplier<Gpt2Tokenizer> ours,
            Supplier<Encoding> theirs) {
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        int[] ourIds = ours.get().encode(text);
        int[] theirIds = theirs.get().encode(text).toArray();
        if (!Arrays.equals(ourIds, theirIds)) {
            int at = Arrays.mismatch(ourIds, theirIds);
            throw new IllegalStateException(name + " text: ids differ from JTokkit r50k_base at token " + at
                    + " (ours " + (at < ourIds.length ? ourIds[at] : "none") + ", JTokkit "
                    + (at < theirIds.length ? theirIds[at] : "none") + ")");
        }
        double[] oursMbs = new double[runs];
        double[] theirsMbs = new double[runs];
        for (int r = 0; r < runs; r++) {
            Gpt2Tokenizer o = ours.get(); // fresh for "cold": built before the clock starts
            Encoding t = theirs.get();
            oursMbs[r] = mbPerSecond(s -> o.encode(s).length, text, bytes);
            theirsMbs[r] = mbPerSecond(s -> t.encode(s).size(), text, bytes);
        }
        Spread o = Spread.of(oursMbs);
        Spread t = Spread.of(theirsMbs);
        table.note(String.format("%s text: %,d UTF-8 bytes, %,d tokens; ids identical to JTokkit's", name, bytes, ourIds.length));
        table.row(name + ": gpt2j Gpt2Tokenizer", o, "MB/s");
        table.row(name + ": JTokkit r50k_base", t, "MB/s");
        table.row(name + ": ratio gpt2j / JTokkit (per run)", Spread.pairedRatios(oursMbs, theirsMbs), "");
    }

    private static Encoding r50k() {
        return Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    }

    private static double mbPerSecond(ToIntFunction<String> encode, String text, long bytes) {
        long start = System.nanoTime();
        int tokens = encode.applyAsInt(text);
        long nanos = System.nanoTime() - start;
        if (tokens == 0) {
            throw new IllegalStateException("no tokens");
        }
        return bytes / 1e6 / (nanos / 1e9);
    }
}
