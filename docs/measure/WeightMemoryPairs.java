import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.generate.GenerationConfig;
import net.gpt2j.runtime.generate.PromptBatch;
import net.gpt2j.runtime.model.DeviceChoice;

/**
 * Weights copied into engine memory against weights in the model file's pages (gpt2j.weight_memory),
 * side by side in one JVM: the folder is loaded once each way, then greedy generations (16-token
 * prompt, 64 new tokens) alternate between the two, and each pair's ratio mapped / copy is printed, so
 * the machine's drift cancels. Usage: WeightMemoryPairs DIR PAIRS [copy,mapped | mapped,copy].
 */
public class WeightMemoryPairs {

    private static final String PROMPT = "Every effort moves you closer to the place where the river meets the old stone bridge";

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int pairs = Integer.parseInt(a[1]);
        String[] order = (a.length > 2 ? a[2] : "copy,mapped").split(",");
        List<Gpt2Runtime> runtimes = new ArrayList<>();
        try {
            for (String setting : order) {
                System.setProperty("gpt2j.weight_memory", setting);
                long t0 = System.nanoTime();
                runtimes.add(Gpt2Runtime.load(dir, DeviceChoice.CPU));
                System.out.printf("%-6s load %.2f s, %s%n", setting, (System.nanoTime() - t0) / 1e9,
                        runtimes.get(runtimes.size() - 1).model().weightMemory());
            }
            for (int p = 0; p < pairs; p++) {
                double[][] r = new double[order.length][];
                for (int i = 0; i < order.length; i++) {
                    r[i] = generate(runtimes.get(i));
                }
                int copy = order[0].equals("copy") ? 0 : 1;
                System.out.printf("pair %d: copy prefill %.0f ms, decode %.1f steps/s; mapped prefill %.0f ms, decode %.1f steps/s;"
                        + " mapped / copy: prefill time %.2f, decode rate %.3f%n", p, r[copy][0], r[copy][1], r[1 - copy][0],
                        r[1 - copy][1], r[1 - copy][0] / r[copy][0], r[1 - copy][1] / r[copy][1]);
            }
        } finally {
            for (Gpt2Runtime r : runtimes) {
                r.close();
            }
        }
    }

    /** {prefill ms until the first token, decode steps/s over the 63 steps after it}. */
    private static double[] generate(Gpt2Runtime runtime) {
        long[] first = {0};
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(64).noEosToken()
                .tokenListener((row, step, token) -> {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                }).build();
        PromptBatch prompt = PromptBatch.single(runtime.tokenizer().encode(PROMPT));
        long t0 = System.nanoTime();
        runtime.greedy(prompt, config);
        long t1 = System.nanoTime();
        return new double[] {(first[0] - t0) / 1e6, 63 / ((t1 - first[0]) / 1e9)};
    }
}
