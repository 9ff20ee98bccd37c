package net.gpt2j.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code generation_config.json} as {@code GenerationConfig.from_model_config} writes it for GPT-2:
 * only the token ids; everything else is {@code generate()}'s default (greedy).
 */
public final class GenerationConfigFile {

    public static final String FILE = "generation_config.json";

    private GenerationConfigFile() {}

    public static ObjectNode toJson() {
        ObjectNode g = JsonNodeFactory.instance.objectNode();
        g.put("_from_model_config", true);
        g.put("bos_token_id", Gpt2Constants.END_OF_TEXT);
        g.put("eos_token_id", Gpt2Constants.END_OF_TEXT);
        return g;
    }

    public static void write(Path dir) throws IOException {
        HubConfig.writeJson(dir.resolve(FILE), toJson());
    }
}
