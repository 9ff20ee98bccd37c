package net.gpt2j.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code generation_config.json} as {@code GenerationConfig.from_model_config} writes it for GPT-2:
 * only the token ids; everything else is {@code generate()}'s default (greedy). Of a folder's file,
 * the end tokens are read ({@link #endTokens}): HF's {@code generate()} stops at them unless told
 * otherwise, and a fine-tuned model's may differ from GPT-2's 50256.
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

    /**
     * The end tokens {@code dir}'s generation config sets ({@code eos_token_id}: one id or a list), or
     * empty when the folder has no such file or the field is absent or null (the caller's default
     * then holds).
     *
     * @throws HubFormatException naming the file and field when the field is neither
     */
    public static Optional<int[]> endTokens(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new HubFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode eos = root == null ? null : root.get("eos_token_id");
        if (eos == null || eos.isNull()) {
            return Optional.empty();
        }
        List<JsonNode> ids = new ArrayList<>();
        if (eos.isArray()) {
            eos.forEach(ids::add);
        } else {
            ids.add(eos);
        }
        boolean tokenIds = !ids.isEmpty()
                && ids.stream().allMatch(id -> id.isIntegralNumber() && id.canConvertToInt() && id.asInt() >= 0);
        if (!tokenIds) {
            throw new HubFormatException(file + ": field 'eos_token_id' must be a token id or a list of them, got " + eos);
        }
        return Optional.of(ids.stream().mapToInt(JsonNode::asInt).toArray());
    }
}
