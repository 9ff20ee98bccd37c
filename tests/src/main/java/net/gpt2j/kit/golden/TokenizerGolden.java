package net.gpt2j.kit.golden;

import java.util.List;
import java.util.Map;

/** A {@code gpt2-tokenizer-golden/1} file: HF's ids and decoding of each text. */
public record TokenizerGolden(
        String name, RecordedWith recordedWith, Map<String, Integer> specialTokens, List<TokenizerCase> cases)
        implements GoldenFile {

    @Override
    public GoldenKind kind() {
        return GoldenKind.TOKENIZER;
    }

    public record TokenizerCase(String text, int[] ids, String decoded) {}
}
