package net.gpt2j.kit.check;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The symptom table: given the first probe that diverges and which probes before it matched, the
 * classic porting mistake that usually shows exactly there. Worded as a likely cause, never a
 * certainty.
 *
 * <table>
 * <caption>first divergent probe, what matched before it, likely cause</caption>
 * <tr><th>first divergent</th><th>while matching</th><th>likely cause</th></tr>
 * <tr><td>{@code embed}</td><td>(nothing before)</td><td>token lookup in wte or the position embeddings</td></tr>
 * <tr><td>{@code h0.ln_1} (slightly off)</td><td>{@code embed}</td><td>LayerNorm eps (GPT-2: 1e-5)</td></tr>
 * <tr><td>{@code h0.ln_1} (far off)</td><td>{@code embed}</td><td>LayerNorm g/b or variance formula</td></tr>
 * <tr><td>{@code hN.ln_1}, N &gt; 0</td><td>{@code h(N-1).out}</td><td>layer index mix-up in loading, or eps</td></tr>
 * <tr><td>{@code hN.attn.q/k/v}</td><td>{@code hN.ln_1}</td><td>c_attn split or transpose</td></tr>
 * <tr><td>{@code hN.attn}</td><td>{@code hN.attn.q/k/v}</td><td>scaling, causal mask, head merge or c_proj layout</td></tr>
 * <tr><td>{@code hN.ln_2}</td><td>{@code hN.attn}</td><td>first residual add, or ln_2</td></tr>
 * <tr><td>{@code hN.mlp.c_fc}</td><td>{@code hN.ln_2}</td><td>c_fc layout or bias</td></tr>
 * <tr><td>{@code hN.mlp}</td><td>{@code hN.mlp.c_fc}</td><td>GELU variant or mlp c_proj layout</td></tr>
 * <tr><td>{@code hN.out}</td><td>{@code hN.mlp}</td><td>second residual add</td></tr>
 * <tr><td>{@code ln_f}</td><td>last block's out</td><td>final LayerNorm eps or parameters</td></tr>
 * </table>
 * "Slightly off" means a max difference below {@value #SLIGHT} (an eps change moves normalised
 * values by ~1e-4 to 1e-3; a wrong parameter by ~0.1 and more).
 */
public final class DivergenceHints {

    static final double SLIGHT = 1e-2;

    private static final Pattern BLOCK = Pattern.compile("h(\\d+)\\.(.+)");

    private DivergenceHints() {}

    /**
     * @param firstDivergent the first probe (in forward order) out of tolerance
     * @param matched        for every probe the port reported: whether it was within tolerance
     * @param maxDiff        the largest difference in {@code firstDivergent}
     * @param lastMatched    the last probe before it that matched, or null
     */
    public static String hint(String firstDivergent, Map<String, Boolean> matched, double maxDiff, String lastMatched) {
        String cause = cause(firstDivergent, matched, maxDiff);
        if (cause == null) {
            return "likely cause: somewhere between " + (lastMatched == null ? "the input" : lastMatched) + " and "
                    + firstDivergent + "; the probes in between were not reported, so the symptom table cannot narrow it";
        }
        return "likely cause (a hint, not a certainty): " + cause;
    }

    private static String cause(String probe, Map<String, Boolean> matched, double maxDiff) {
        if (probe.equals("embed")) {
            return "the embedding: the token lookup (rows of wte by id) or the position embeddings (rows 0..n-1 of wpe added)";
        }
        if (probe.equals("ln_f")) {
            String lastOut = lastBlockOut(matched);
            return lastOut != null && ok(matched, lastOut)
                    ? "the final LayerNorm (ln_f): its eps (GPT-2 uses 1e-5) or its g/b parameters"
                    : null;
        }
        Matcher m = BLOCK.matcher(probe);
        if (!m.matches()) {
            return null;
        }
        int i = Integer.parseInt(m.group(1));
        String h = "h" + i + ".";
        String part = m.group(2);
        switch (part) {
            case "ln_1" -> {
                String input = i == 0 ? "embed" : "h" + (i - 1) + ".out";
                if (!ok(matched, input)) {
                    return null;
                }
                if (i > 0) {
                    return "block " + i + "'s ln_1 on a matching input: its parameters were loaded from the wrong layer,"
                            + " or the LayerNorm eps differs";
                }
                return maxDiff < SLIGHT
                        ? "LayerNorm slightly off on a matching input: the eps (GPT-2 uses 1e-5; 1e-12 or 1e-6 give this)"
                        : "LayerNorm far off on a matching input: g and b swapped or misloaded, or a wrong variance"
                                + " (biased, over the last axis)";
            }
            case "attn.q", "attn.k", "attn.v" -> {
                return ok(matched, h + "ln_1")
                        ? "the c_attn split or transpose: q, k, v are columns [0, n), [n, 2n), [2n, 3n) of ln_1 @ c_attn.w"
                                + " + c_attn.b, with Conv1D's w stored [in, out] (not nn.Linear's [out, in])"
                        : null;
            }
            case "attn" -> {
                return ok(matched, h + "attn.q") && ok(matched, h + "attn.k") && ok(matched, h + "attn.v")
                        ? "attention after matching q, k, v: the 1/sqrt(head_dim) scaling, the causal mask, the head"
                                + " split/merge order, or attn c_proj's layout ([in, out])"
                        : null;
            }
            case "ln_2" -> {
                return ok(matched, h + "attn")
                        ? "the first residual add (ln_2's input is the block input + attn) or ln_2's eps or parameters"
                        : null;
            }
            case "mlp.c_fc" -> {
                return ok(matched, h + "ln_2") ? "mlp c_fc's layout ([in, 4*n_embd]) or its bias" : null;
            }
            case "mlp" -> {
                return ok(matched, h + "mlp.c_fc")
                        ? "the GELU variant (GPT-2 uses the tanh approximation, HF's gelu_new; exact erf GELU differs)"
                                + " or mlp c_proj's layout ([4*n_embd, n_embd])"
                        : null;
            }
            case "out" -> {
                return ok(matched, h + "mlp") ? "the second residual add (out = block input + attn + mlp)" : null;
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean ok(Map<String, Boolean> matched, String probe) {
        return Boolean.TRUE.equals(matched.get(probe));
    }

    private static String lastBlockOut(Map<String, Boolean> matched) {
        String last = null;
        for (String name : matched.keySet()) {
            if (name.matches("h\\d+\\.out")) {
                last = name;
            }
        }
        return last;
    }
}
