package net.gpt2j.converter;

import java.util.List;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.TensorSpec;

/**
 * The README.md written into a converted folder: what the folder is, how to load it, and which
 * OpenAI variable each tensor came from. The table is generated from {@link WeightMapping} itself
 * (block 0 and the globals), so it cannot drift from what was written.
 */
final class OutputReadme {

    private OutputReadme() {}

    static String render(WeightMapping mapping, Hparams h) {
        StringBuilder md = new StringBuilder();
        md.append("# GPT-2 converted by gpt2j\n\n");
        md.append("hparams: n_vocab=").append(h.nVocab()).append(", n_ctx=").append(h.nCtx())
                .append(", n_embd=").append(h.nEmbd()).append(", n_head=").append(h.nHead())
                .append(", n_layer=").append(h.nLayer()).append(".\n\n");
        md.append("This is the hub's GPT-2 folder, as HuggingFace's `save_pretrained` writes `GPT2LMHeadModel` ")
          .append("and `GPT2TokenizerFast`: tensor names and shapes of the hub's `gpt2` checkpoint (no ")
          .append("`transformer.` prefix, Conv1D weights `[in, out]`, Q, K and V side by side in `c_attn`: ")
          .append("columns `[0, E)`, `[E, 2E)`, `[2E, 3E)`), the LM head tied to `wte.weight` (no `lm_head` tensor).\n\n");
        md.append("Load it with gpt2j (`gpt2 generate --model DIR ...`) or with transformers:\n\n");
        md.append("```python\nfrom transformers import GPT2LMHeadModel, AutoTokenizer\n")
          .append("model = GPT2LMHeadModel.from_pretrained(\"DIR\")\n")
          .append("tokenizer = AutoTokenizer.from_pretrained(\"DIR\")\n```\n\n");
        md.append("The mapping (from `net.gpt2j.converter.mapping.WeightMapping`; block 0 shown, ")
          .append("blocks 1..").append(h.nLayer() - 1).append(" follow the same pattern). Each tensor holds ")
          .append("its variable's bytes unchanged:\n\n");
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
        md.append("\nFiles: `model.safetensors` (float32), `config.json`, `generation_config.json`, ")
          .append("`vocab.json`, `merges.txt` and `tokenizer.json` (OpenAI's tokenizer in the hub's spellings), ")
          .append("`tokenizer_config.json`, `special_tokens_map.json`, `manifest.json` (sources with their sha256, ")
          .append("the CRC-32C of every tensor, which gpt2j checks at load).\n");
        return md.toString();
    }
}
