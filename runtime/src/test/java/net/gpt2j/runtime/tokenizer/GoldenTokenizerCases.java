package net.gpt2j.runtime.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.golden.GoldenData;

/** The cases of {@code tokenizer.golden.json}: HuggingFace's ids and decoded text for each text. */
record GoldenTokenizerCases(int index, String text, int[] ids, String decoded) {

    static List<GoldenTokenizerCases> load() {
        try {
            JsonNode root = new ObjectMapper().readTree(GoldenData.read(GoldenData.TOKENIZER_GOLDEN));
            if (!"gpt2-tokenizer-golden/1".equals(root.path("format").asText())) {
                throw new IllegalStateException(GoldenData.TOKENIZER_GOLDEN + " has format "
                        + root.path("format") + ", expected gpt2-tokenizer-golden/1");
            }
            List<GoldenTokenizerCases> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                JsonNode idsNode = c.get("ids");
                int[] ids = new int[idsNode.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = idsNode.get(i).intValue();
                }
                cases.add(new GoldenTokenizerCases(cases.size(), c.get("text").textValue(), ids,
                        c.get("decoded").textValue()));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + GoldenData.TOKENIZER_GOLDEN, e);
        }
    }

    /** A readable test name: the index, then the text with control characters escaped, shortened. */
    String displayName() {
        StringBuilder name = new StringBuilder("#").append(index).append(' ');
        text.codePoints().limit(60).forEach(cp -> {
            if (cp == '\n') {
                name.append("\\n");
            } else if (cp == '\r') {
                name.append("\\r");
            } else if (cp == '\t') {
                name.append("\\t");
            } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || Character.isSpaceChar(cp) && cp != ' ') {
                name.append(String.format("\\u%04X", cp));
            } else {
                name.appendCodePoint(cp);
            }
        });
        if (text.codePointCount(0, text.length()) > 60) {
            name.append('…');
        }
        return name.toString();
    }

    boolean containsEndOfText() {
        return text.contains("<|endoftext|>");
    }
}
