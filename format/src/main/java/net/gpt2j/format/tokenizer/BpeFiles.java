package net.gpt2j.format.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.HubFormatException;

/**
 * Reads GPT-2's byte-level BPE in any of its three spellings into one {@link BpeModel}: OpenAI's
 * {@code encoder.json} + {@code vocab.bpe}, the hub's {@code vocab.json} + {@code merges.txt} (the
 * same formats under other names), or the {@code tokenizers} library's {@code tokenizer.json}.
 * Only structure is checked here (dense ids, two tokens per merge); what a tokenizer needs beyond
 * that (every byte present, merges of known tokens) is checked by the tokenizer that uses it.
 */
public final class BpeFiles {

    public static final String VOCAB_JSON = "vocab.json";
    public static final String MERGES_TXT = "merges.txt";
    public static final String TOKENIZER_JSON = "tokenizer.json";

    private static final JsonFactory STREAMING = new JsonFactory();

    private BpeFiles() {}

    /** {@code encoder.json} / {@code vocab.json}: one JSON object of token to id, ids dense from 0. */
    public static List<String> readVocab(Path file) throws IOException {
        Map<String, Integer> ids = new HashMap<>(1 << 17);
        try (InputStream in = Files.newInputStream(file); JsonParser p = STREAMING.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HubFormatException(file + " must be a JSON object of token to id");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.getCurrentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw new HubFormatException(file + ": token '" + token + "' maps to " + p.getText()
                            + ", expected an integer id");
                }
                if (ids.put(token, p.getIntValue()) != null) {
                    throw new HubFormatException(file + ": token '" + token + "' appears twice");
                }
            }
        } catch (JsonProcessingException e) {
            throw new HubFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return dense(ids, file.toString());
    }

    /** {@code vocab.bpe} / {@code merges.txt}: a {@code #version} line, then one "left right" merge a line, by rank. */
    public static List<String[]> readMerges(Path file) throws IOException {
        List<String[]> merges = new ArrayList<>(50_000);
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isEmpty() || (n == 1 && line.startsWith("#version"))) {
                    continue;
                }
                merges.add(pair(line, file + " line " + n));
            }
        } catch (CharacterCodingException e) {
            throw new HubFormatException(file + " is not valid UTF-8", e);
        }
        return merges;
    }

    /**
     * {@code tokenizer.json}: a byte-level BPE model ({@code model.type} "BPE", ByteLevel
     * pre-tokenizer), its vocab, its merges (as "left right" strings or as pairs, both spellings the
     * library writes), and its added tokens (which join the vocab at their ids).
     */
    public static BpeModel readTokenizerJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new HubFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode model = root == null ? null : root.get("model");
        if (model == null || !model.isObject()) {
            throw new HubFormatException(file + " has no \"model\" object");
        }
        String type = model.path("type").asText("BPE"); // older files leave the type out
        if (!type.equals("BPE")) {
            throw new HubFormatException(file + ": field 'model.type' is \"" + type + "\", expected \"BPE\" (GPT-2's byte-level BPE)");
        }
        String pre = root.path("pre_tokenizer").path("type").asText("");
        if (!pre.equals("ByteLevel")) {
            throw new HubFormatException(file + ": field 'pre_tokenizer.type' is \"" + pre
                    + "\", expected \"ByteLevel\" (GPT-2's pre-tokenizer)");
        }
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isObject()) {
            throw new HubFormatException(file + ": field 'model.vocab' must be an object of token to id");
        }
        Map<String, Integer> ids = new HashMap<>(1 << 17);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt()) {
                throw new HubFormatException(file + ": token '" + e.getKey() + "' maps to " + e.getValue() + ", expected an integer id");
            }
            ids.put(e.getKey(), e.getValue().intValue());
        }
        for (JsonNode added : root.path("added_tokens")) {
            String content = added.path("content").asText(null);
            JsonNode id = added.get("id");
            if (content == null || id == null || !id.canConvertToInt()) {
                throw new HubFormatException(file + ": an entry of 'added_tokens' lacks \"content\" or an integer \"id\": " + added);
            }
            Integer had = ids.putIfAbsent(content, id.intValue());
            if (had != null && had != id.intValue()) {
                throw new HubFormatException(file + ": added token '" + content + "' has id " + id + " but the vocab gives " + had);
            }
        }
        JsonNode mergesNode = model.get("merges");
        if (mergesNode == null || !mergesNode.isArray()) {
            throw new HubFormatException(file + ": field 'model.merges' must be an array");
        }
        List<String[]> merges = new ArrayList<>(mergesNode.size());
        int i = 0;
        for (JsonNode m : mergesNode) {
            String where = file + ": model.merges[" + i++ + "]";
            if (m.isTextual()) {
                merges.add(pair(m.textValue(), where));
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                merges.add(new String[] {m.get(0).textValue(), m.get(1).textValue()});
            } else {
                throw new HubFormatException(where + " is " + m + ", expected \"left right\" or [\"left\", \"right\"]");
            }
        }
        return new BpeModel(dense(ids, file.toString()), merges);
    }

    private static String[] pair(String line, String where) throws HubFormatException {
        int space = line.indexOf(' ');
        if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
            throw new HubFormatException(where + ": '" + line + "' is not two tokens separated by one space");
        }
        return new String[] {line.substring(0, space), line.substring(space + 1)};
    }

    /** The tokens in id order, after checking the ids are exactly 0..n-1. */
    private static List<String> dense(Map<String, Integer> ids, String source) throws HubFormatException {
        String[] byId = new String[ids.size()];
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= byId.length) {
                throw new HubFormatException(source + ": token '" + e.getKey() + "' has id " + id + ", outside 0.."
                        + (byId.length - 1) + " (ids must be dense)");
            }
            if (byId[id] != null) {
                throw new HubFormatException(source + ": id " + id + " is used by both '" + byId[id] + "' and '" + e.getKey() + "'");
            }
            byId[id] = e.getKey();
        }
        return Arrays.asList(byId);
    }
}
