package net.gpt2j.kit.golden;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code gpt2-tokenizer-golden/1}. */
final class TokenizerGoldenParser {

    private TokenizerGoldenParser() {}

    static TokenizerGolden parse(String name, JsonField top) {
        Map<String, Integer> special = new LinkedHashMap<>();
        top.optional("special_tokens").ifPresent(s -> s.entries().forEach((k, v) -> special.put(k, v.intValue())));
        List<TokenizerGolden.TokenizerCase> cases = top.field("cases").elements().stream()
                .map(c -> new TokenizerGolden.TokenizerCase(
                        c.field("text").text(),
                        c.field("ids").intArray(),
                        c.optional("decoded").map(JsonField::text).orElse(null)))
                .toList();
        return new TokenizerGolden(name, GoldenLoader.recordedWith(top), special, cases);
    }
}
