package net.gpt2j.kit.golden;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.kit.golden.RealGolden.RealCase;

/** Parses {@code gpt2-real-golden/1}; its cases differ by {@code kind}. */
final class RealGoldenParser {

    private RealGoldenParser() {}

    static RealGolden parse(String name, JsonField top) {
        List<RealCase> cases = top.field("cases").elements().stream().map(RealGoldenParser::realCase).toList();
        return new RealGolden(name, top.optional("note").map(JsonField::text).orElse(""), cases);
    }

    private static RealCase realCase(JsonField c) {
        String model = c.field("model").text();
        String source = c.optional("source").map(JsonField::text).orElse("");
        String kind = c.field("kind").text();
        int[] ids = c.optional("input_ids").map(JsonField::intArray).orElse(null);
        String text = c.optional("text").map(JsonField::text).orElse(null);
        switch (kind) {
            case "greedy", "beam" -> {
                if (ids == null && text == null) {
                    throw c.error("a " + kind + " case needs input_ids or text");
                }
                Integer maxLength = c.optional("max_length").map(JsonField::intValue).orElse(null);
                Integer maxNew = c.optional("max_new_tokens").map(JsonField::intValue).orElse(null);
                if (maxLength == null && maxNew == null) {
                    throw c.error("a " + kind + " case needs max_length or max_new_tokens");
                }
                int[] outIds = c.optional("output_ids").map(JsonField::intArray).orElse(null);
                String outText = c.optional("output_text").map(JsonField::text).orElse(null);
                if (outIds == null && outText == null) {
                    throw c.error("a " + kind + " case needs output_ids or output_text");
                }
                int beams = kind.equals("beam") ? c.field("num_beams").intValue() : 1;
                return new RealGolden.Generation(model, source, kind, ids, text, maxLength, maxNew, beams,
                        c.optional("no_repeat_ngram_size").map(JsonField::intValue).orElse(null), outIds, outText,
                        c.optional("sequence_logprob").map(JsonField::doubleValue).orElse(null));
            }
            case "logits" -> {
                if (ids == null && text == null) {
                    throw c.error("a logits case needs input_ids or text");
                }
                Map<Integer, RealGolden.Row> rows = new LinkedHashMap<>();
                c.field("rows").entries().forEach((k, row) -> {
                    int pos;
                    try {
                        pos = Integer.parseInt(k);
                    } catch (NumberFormatException e) {
                        throw row.error("row keys are token positions, got \"" + k + "\"");
                    }
                    rows.put(pos, new RealGolden.Row(row.field("first3").doubleArray(), row.field("last3").doubleArray()));
                });
                return new RealGolden.Logits(model, source, kind, ids, text, c.field("tolerance").doubleValue(), rows);
            }
            case "perplexity" -> {
                return new RealGolden.Perplexity(model, source, kind, c.field("ppl").doubleValue(),
                        c.optional("needs").map(JsonField::text).orElse(null));
            }
            default -> throw c.field("kind").error("unknown real-golden case kind \"" + kind
                    + "\"; the kit reads greedy, beam, logits, perplexity");
        }
    }
}
