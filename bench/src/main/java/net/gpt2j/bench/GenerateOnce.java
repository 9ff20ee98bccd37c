package net.gpt2j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.model.DeviceChoice;

/**
 * A child process of {@code bench/run cli}: what the CLI does for one greedy generation, through the
 * runtime's API alone (no picocli, no streaming, no summary), in a fresh JVM started with the CLI's
 * options: it tells a cost of the CLI's own code from the cost of a process's first generation.
 * Prints one {@link #RESULT_PREFIX} line: {@code load_s=... prefill_s=... decode_s=... ids=[...]}.
 */
public final class GenerateOnce {

    static final String RESULT_PREFIX = "generate-once:";

    /** What the child printed. */
    record Result(double loadSeconds, double prefillSeconds, double decodeSeconds, int[] ids) {

        static Result parse(List<String> stdout) {
            String line = stdout.stream().filter(l -> l.startsWith(RESULT_PREFIX)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("GenerateOnce printed no '" + RESULT_PREFIX + "' line: " + stdout));
            String ids = ConvertBench.field(line, "ids");
            if (!ids.startsWith("[") || !ids.endsWith("]")) {
                throw new IllegalStateException("GenerateOnce's ids= is not '[id,...]': " + line);
            }
            String body = ids.substring(1, ids.length() - 1);
            return new Result(Double.parseDouble(ConvertBench.field(line, "load_s")),
                    Double.parseDouble(ConvertBench.field(line, "prefill_s")),
                    Double.parseDouble(ConvertBench.field(line, "decode_s")),
                    body.isEmpty() ? new int[0] : Arrays.stream(body.split(",")).mapToInt(Integer::parseInt).toArray());
        }
    }

    private GenerateOnce() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GenerateOnce HUB_FOLDER PROMPT NEW_TOKENS");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        try (Gpt2Runtime runtime = Gpt2Runtime.load(Path.of(args[0]), DeviceChoice.CPU)) { // CRC check on, as the CLI's default
            long loaded = System.nanoTime();
            long[] first = {0};
            GenerationConfig config = GenerationConfig.builder().maxNewTokens(Integer.parseInt(args[2])).noEosToken()
                    .tokenListener((row, step, token) -> {
                        if (first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                    }).build();
            PromptBatch prompt = PromptBatch.single(runtime.tokenizer().encode(args[1]));
            long g0 = System.nanoTime();
            int[] ids = runtime.greedy(prompt, config)[0];
            long g1 = System.nanoTime();
            System.out.printf(Locale.ROOT, "%s load_s=%.6f prefill_s=%.6f decode_s=%.6f ids=%s%n", RESULT_PREFIX,
                    (loaded - t0) / 1e9, (first[0] - g0) / 1e9, (g1 - first[0]) / 1e9,
                    Arrays.toString(ids).replace(" ", ""));
        }
    }
}
