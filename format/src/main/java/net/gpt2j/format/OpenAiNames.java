package net.gpt2j.format;

import java.util.ArrayList;
import java.util.List;

/**
 * The one table of OpenAI's GPT-2 checkpoint variables and the hub tensor each becomes. The
 * converter maps with it and the synthetic fixtures generate values for it, so the two can never
 * list different variables.
 *
 * <pre>
 * OpenAI (TF checkpoint)              shape             hub (HF GPT2LMHeadModel, no prefix)  shape
 * model/wte                           [V, E]            wte.weight                           [V, E]
 * model/wpe                           [C, E]            wpe.weight                           [C, E]
 * model/h{i}/ln_1/g, b                [E]               h.{i}.ln_1.weight, .bias             [E]
 * model/h{i}/attn/c_attn/w, b         [1, E, 3E], [3E]  h.{i}.attn.c_attn.weight, .bias      [E, 3E], [3E]
 * model/h{i}/attn/c_proj/w, b         [1, E, E], [E]    h.{i}.attn.c_proj.weight, .bias      [E, E], [E]
 * model/h{i}/ln_2/g, b                [E]               h.{i}.ln_2.weight, .bias             [E]
 * model/h{i}/mlp/c_fc/w, b            [1, E, 4E], [4E]  h.{i}.mlp.c_fc.weight, .bias         [E, 4E], [4E]
 * model/h{i}/mlp/c_proj/w, b          [1, 4E, E], [E]   h.{i}.mlp.c_proj.weight, .bias       [4E, E], [E]
 * model/ln_f/g, b                     [E]               ln_f.weight, .bias                   [E]
 * </pre>
 *
 * Both sides store a Conv1D weight {@code [in, out]}; OpenAI's has a leading 1, which the hub's
 * drops. So every hub tensor holds its OpenAI variable's bytes unchanged, in the same order.
 */
public final class OpenAiNames {

    /** One row of the table. */
    public record Row(TensorSpec openAi, TensorSpec hub) {}

    private OpenAiNames() {}

    /** Every OpenAI variable a checkpoint with these hparams holds, in the table's order. */
    public static List<TensorSpec> variables(Hparams h) {
        List<TensorSpec> out = new ArrayList<>();
        for (Row r : table(h)) {
            out.add(r.openAi());
        }
        return out;
    }

    /** The table for these hparams: OpenAI's variables with their hub tensors, in checkpoint order. */
    public static List<Row> table(Hparams h) {
        long e = h.nEmbd();
        List<Row> rows = new ArrayList<>();
        rows.add(row("model/wte", new long[] {h.nVocab(), e}, "wte.weight"));
        rows.add(row("model/wpe", new long[] {h.nCtx(), e}, "wpe.weight"));
        for (int i = 0; i < h.nLayer(); i++) {
            String o = "model/h" + i + "/";
            String p = HubNames.block(i);
            rows.add(row(o + "ln_1/g", new long[] {e}, p + "ln_1.weight"));
            rows.add(row(o + "ln_1/b", new long[] {e}, p + "ln_1.bias"));
            rows.add(row(o + "attn/c_attn/w", new long[] {1, e, 3 * e}, p + "attn.c_attn.weight"));
            rows.add(row(o + "attn/c_attn/b", new long[] {3 * e}, p + "attn.c_attn.bias"));
            rows.add(row(o + "attn/c_proj/w", new long[] {1, e, e}, p + "attn.c_proj.weight"));
            rows.add(row(o + "attn/c_proj/b", new long[] {e}, p + "attn.c_proj.bias"));
            rows.add(row(o + "ln_2/g", new long[] {e}, p + "ln_2.weight"));
            rows.add(row(o + "ln_2/b", new long[] {e}, p + "ln_2.bias"));
            rows.add(row(o + "mlp/c_fc/w", new long[] {1, e, 4 * e}, p + "mlp.c_fc.weight"));
            rows.add(row(o + "mlp/c_fc/b", new long[] {4 * e}, p + "mlp.c_fc.bias"));
            rows.add(row(o + "mlp/c_proj/w", new long[] {1, 4 * e, e}, p + "mlp.c_proj.weight"));
            rows.add(row(o + "mlp/c_proj/b", new long[] {e}, p + "mlp.c_proj.bias"));
        }
        rows.add(row("model/ln_f/g", new long[] {e}, "ln_f.weight"));
        rows.add(row("model/ln_f/b", new long[] {e}, "ln_f.bias"));
        return rows;
    }

    /** A row whose hub shape is the OpenAI shape with a Conv1D weight's leading 1 dropped. */
    private static Row row(String openAi, long[] shape, String hub) {
        long[] hubShape = shape.length == 3 ? new long[] {shape[1], shape[2]} : shape.clone();
        return new Row(new TensorSpec(openAi, shape), new TensorSpec(hub, hubShape));
    }
}
