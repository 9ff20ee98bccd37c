package net.gpt2j.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hub's GPT-2 tensor names and shapes, as {@code GPT2LMHeadModel.save_pretrained} writes them
 * for the hub's {@code gpt2} checkpoint, and the variations other HF-written folders have:
 *
 * <ul>
 *   <li>a {@code transformer.} prefix ({@code GPT2LMHeadModel}'s own state dict keys; the hub's
 *       {@code gpt2} has none, {@code distilgpt2} and many fine-tunes have it);
 *   <li>{@code lm_head.weight} stored although tied to {@code wte.weight} (a duplicate), or untied;
 *   <li>the attention mask buffers {@code h.{i}.attn.bias} and {@code h.{i}.attn.masked_bias},
 *       which older transformers saved; they are constants, not weights, and are ignored.
 * </ul>
 *
 * Conv1D weights ({@code c_attn}, {@code c_proj}, {@code c_fc}) are {@code [in, out]}. Q, K and V sit
 * side by side in {@code c_attn}: output columns {@code [0, E)}, {@code [E, 2E)}, {@code [2E, 3E)}.
 */
public final class HubNames {

    public static final String PREFIX = "transformer.";
    public static final String WTE = "wte.weight";
    public static final String WPE = "wpe.weight";
    public static final String LM_HEAD = "lm_head.weight";
    public static final String LN_F_WEIGHT = "ln_f.weight";
    public static final String LN_F_BIAS = "ln_f.bias";

    private static final Pattern BUFFER = Pattern.compile("h\\.\\d+\\.attn\\.(bias|masked_bias)");

    private HubNames() {}

    /** {@code h.{i}.}: the prefix of block {@code i}'s tensors. */
    public static String block(int i) {
        return "h." + i + ".";
    }

    /**
     * Every weight tensor of a GPT-2 with these hparams and MLP width {@code nInner} (4E for
     * OpenAI's models), unprefixed, in the order {@code save_pretrained} writes them; without
     * {@code lm_head.weight}, which is tied to {@code wte.weight}.
     */
    public static List<TensorSpec> expected(Hparams h, long nInner) {
        long e = h.nEmbd();
        List<TensorSpec> out = new ArrayList<>();
        out.add(new TensorSpec(WTE, new long[] {h.nVocab(), e}));
        out.add(new TensorSpec(WPE, new long[] {h.nCtx(), e}));
        for (int i = 0; i < h.nLayer(); i++) {
            String p = block(i);
            out.add(new TensorSpec(p + "ln_1.weight", new long[] {e}));
            out.add(new TensorSpec(p + "ln_1.bias", new long[] {e}));
            out.add(new TensorSpec(p + "attn.c_attn.weight", new long[] {e, 3 * e}));
            out.add(new TensorSpec(p + "attn.c_attn.bias", new long[] {3 * e}));
            out.add(new TensorSpec(p + "attn.c_proj.weight", new long[] {e, e}));
            out.add(new TensorSpec(p + "attn.c_proj.bias", new long[] {e}));
            out.add(new TensorSpec(p + "ln_2.weight", new long[] {e}));
            out.add(new TensorSpec(p + "ln_2.bias", new long[] {e}));
            out.add(new TensorSpec(p + "mlp.c_fc.weight", new long[] {e, nInner}));
            out.add(new TensorSpec(p + "mlp.c_fc.bias", new long[] {nInner}));
            out.add(new TensorSpec(p + "mlp.c_proj.weight", new long[] {nInner, e}));
            out.add(new TensorSpec(p + "mlp.c_proj.bias", new long[] {e}));
        }
        out.add(new TensorSpec(LN_F_WEIGHT, new long[] {e}));
        out.add(new TensorSpec(LN_F_BIAS, new long[] {e}));
        return out;
    }

    /** The name without a {@code transformer.} prefix ({@code lm_head.weight} never has one). */
    public static String unprefixed(String stored) {
        return stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
    }

    /** True for the attention mask buffers older transformers saved beside the weights. */
    public static boolean isBuffer(String unprefixed) {
        return BUFFER.matcher(unprefixed).matches();
    }
}
