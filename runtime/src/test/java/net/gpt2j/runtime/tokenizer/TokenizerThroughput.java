package net.gpt2j.runtime.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Encoding throughput of {@link Gpt2Tokenizer} against JTokkit's r50k_base, on a few MB of text made
 * by repeating the golden texts (those without {@code <|endoftext|>}, which JTokkit's {@code encode}
 * refuses). Not a unit test and not JMH: a plain main that warms both up, checks their ids are
 * identical, then times whole-text encodes, alternating the two, and prints MB/s (10^6 bytes of
 * UTF-8 per second) min/median/max.
 *
 * <p>The text repeats, so after the first pass our pre-token cache answers almost every lookup;
 * JTokkit has no such cache. That is the steady state of a long-lived tokenizer, which is what
 * matters for serving, but it flatters us on text never seen before.
 *
 * <p>Run from {@code /work/main} (the exec plugin is not in the offline repository, so take the
 * classpath from the dependency plugin):
 *
 * <pre>
 * mvn -o -q -pl runtime test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/throughput.classpath
 * java -cp runtime/target/test-classes:runtime/target/classes:$(cat runtime/target/throughput.classpath) \
 *     net.gpt2j.runtime.tokenizer.TokenizerThroughput [megabytes, default 4] [timed runs, default 7]
 * </pre>
 */
public final class TokenizerThroughput {

    private TokenizerThroughput() {}

    public static void main(String[] args) {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;

        String text = buildText(megabytes * 1_000_000);
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        Gpt2Tokenizer ours = Gpt2Tokenizer.fromGoldenData();
        Encoding jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

        int[] ourIds = ours.encode(text);
        int[] theirIds = jtokkit.encode(text).toArray();
        if (!Arrays.equals(ourIds, theirIds)) {
            throw new IllegalStateException("ids differ from JTokkit's r50k_base at index " + Arrays.mismatch(ourIds, theirIds));
        }
        System.out.printf("text: %,d chars, %,d UTF-8 bytes, %,d tokens; ids identical to JTokkit r50k_base%n",
                text.length(), bytes, ourIds.length);

        ToIntFunction<String> encodeOurs = t -> ours.encode(t).length;
        ToIntFunction<String> encodeJTokkit = t -> jtokkit.encode(t).size();
        for (int i = 0; i < 3; i++) { // warm-up: let the JIT compile both
            encodeOurs.applyAsInt(text);
            encodeJTokkit.applyAsInt(text);
        }
        double[] oursMbs = new double[runs];
        double[] jtokkitMbs = new double[runs];
        for (int r = 0; r < runs; r++) {
            oursMbs[r] = megabytesPerSecond(encodeOurs, text, bytes);
            jtokkitMbs[r] = megabytesPerSecond(encodeJTokkit, text, bytes);
        }
        report("gpt2j Gpt2Tokenizer", oursMbs);
        report("JTokkit r50k_base  ", jtokkitMbs);
    }

    private static String buildText(int targetBytes) {
        List<GoldenTokenizerCases> cases = GoldenTokenizerCases.load().stream()
                .filter(c -> !c.containsEndOfText()).toList();
        StringBuilder text = new StringBuilder(targetBytes);
        int bytes = 0;
        while (bytes < targetBytes) {
            for (GoldenTokenizerCases c : cases) {
                text.append(c.text()).append("\n\n");
                bytes += c.text().getBytes(StandardCharsets.UTF_8).length + 2;
            }
        }
        return text.toString();
    }

    private static double megabytesPerSecond(ToIntFunction<String> encode, String text, long bytes) {
        long start = System.nanoTime();
        int tokens = encode.applyAsInt(text);
        long nanos = System.nanoTime() - start;
        if (tokens == 0) {
            throw new IllegalStateException("no tokens");
        }
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static void report(String name, double[] mbs) {
        double[] sorted = mbs.clone();
        Arrays.sort(sorted);
        System.out.printf("%s  MB/s  min %7.2f  median %7.2f  max %7.2f  (%d runs)%n",
                name, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1], sorted.length);
    }
}
