package net.gpt2j.converter;

import java.util.List;
import net.gpt2j.converter.mapping.Layout;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.Hparams;

/**
 * The README.md written into a converted folder: which names the tensors have and where they came
 * from. The table is generated from {@link WeightMapping} itself (block 0 and the globals), so it
 * cannot drift from what was written.
 */
final class OutputReadme {

    private OutputReadme() {}

    static String render(WeightMapping mapping, Hparams h) {
        StringBuilder md = new StringBuilder();
        md.append("# GPT-2 converted by gpt2j (").append(mapping.layout().name().toLowerCase()).append(" layout)\n\n");
        md.append("hparams: n_vocab=").append(h.nVocab()).append(", n_ctx=").append(h.nCtx())
                .append(", n_embd=").append(h.nEmbd()).append(", n_head=").append(h.nHead())
                .append(", n_layer=").append(h.nLayer()).append(".\n\n");
        if (mapping.layout() == Layout.HF) {
            md.append("Tensor names and shapes are HuggingFace `GPT2LMHeadModel`'s as the hub's `gpt2` ")
              .append("checkpoint stores them: no `transformer.` prefix, Conv1D weights `[in, out]`, fused ")
              .append("`c_attn` (Q, K, V side by side along the last axis).\n");
        } else {
            md.append("Tensor names are gpt2j's runtime layout: Q, K and V split out of `c_attn`, every ")
              .append("matrix `[out, in]` (what a linear op takes). config.json says `\"")
              .append(ModelConfig.LAYOUT_FIELD).append("\": \"runtime\"`; HuggingFace cannot load these names.\n");
        }
        md.append("The LM head is tied to the token embedding: there is no separate lm_head tensor.\n\n");
        md.append("The mapping (from `net.gpt2j.converter.mapping.WeightMapping`; block 0 shown, ")
          .append("blocks 1..").append(h.nLayer() - 1).append(" follow the same pattern):\n\n");
        md.append("| OpenAI checkpoint | shape | converted | shape |\n| --- | --- | --- | --- |\n");
        for (TensorSpec in : mapping.expectedInputs()) {
            if (in.name().startsWith("model/h") && !in.name().startsWith("model/h0/")) {
                continue;
            }
            List<TensorSpec> outs = mapping.outputsOf(in);
            for (TensorSpec out : outs) {
                md.append("| `").append(in.name()).append("` | ").append(in.shapeString()).append(" | `")
                  .append(out.name()).append("` | ").append(out.shapeString()).append(" |\n");
            }
        }
        md.append("\nFiles: `model.safetensors` (float32), `config.json`, `encoder.json` and `vocab.bpe` ")
          .append("(OpenAI's tokenizer, copied), `manifest.json` (sources with their sha256, ")
          .append("the CRC-32C of every tensor).\n");
        return md.toString();
    }
}
