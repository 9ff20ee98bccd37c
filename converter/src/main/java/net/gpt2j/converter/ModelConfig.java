package net.gpt2j.converter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.gpt2j.converter.mapping.Layout;
import net.gpt2j.format.Hparams;

/**
 * The {@code config.json} of a converted model: HuggingFace's {@code GPT2Config} fields with the
 * values of the hub's {@code gpt2} config, so {@code GPT2LMHeadModel.from_pretrained} loads an hf
 * layout folder as it loads the hub's. The runtime layout gets the same file plus {@code
 * "gpt2j_layout": "runtime"}, which tells HuggingFace-minded tools (and people) the tensors are
 * not in HF's names.
 *
 * <p>Left out on purpose: the hub's {@code task_specific_params} ({@code do_sample: true,
 * max_length: 50} for text generation), a pipeline default rather than part of the model.
 */
public final class ModelConfig {

    /** GPT-2's {@code <|endoftext|>}, both BOS and EOS in OpenAI's vocabulary. */
    public static final int END_OF_TEXT = 50256;
    public static final String LAYOUT_FIELD = "gpt2j_layout";

    private ModelConfig() {}

    public static ObjectNode of(Hparams h, Layout layout) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("model_type", "gpt2");
        c.putArray("architectures").add("GPT2LMHeadModel");
        c.put("vocab_size", h.nVocab());
        c.put("n_positions", h.nCtx());
        c.put("n_ctx", h.nCtx());
        c.put("n_embd", h.nEmbd());
        c.put("n_layer", h.nLayer());
        c.put("n_head", h.nHead());
        c.putNull("n_inner"); // null: 4 * n_embd, as OpenAI's model has
        c.put("activation_function", "gelu_new");
        c.put("layer_norm_epsilon", 1e-5);
        c.put("initializer_range", 0.02);
        c.put("resid_pdrop", 0.1);
        c.put("embd_pdrop", 0.1);
        c.put("attn_pdrop", 0.1);
        c.put("summary_type", "cls_index");
        c.put("summary_use_proj", true);
        c.putNull("summary_activation");
        c.put("summary_proj_to_labels", true);
        c.put("summary_first_dropout", 0.1);
        c.put("scale_attn_weights", true);
        c.put("use_cache", true);
        c.put("bos_token_id", END_OF_TEXT);
        c.put("eos_token_id", END_OF_TEXT);
        c.put("tie_word_embeddings", true);
        if (layout == Layout.RUNTIME) {
            c.put(LAYOUT_FIELD, "runtime");
        }
        return c;
    }
}
