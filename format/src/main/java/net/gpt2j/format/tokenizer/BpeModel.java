package net.gpt2j.format.tokenizer;

import java.util.List;

/**
 * A byte-level BPE vocabulary: the token spelled by each id (in GPT-2's byte-to-unicode alphabet)
 * and the merges in rank order, each {@code [left, right]}.
 */
public record BpeModel(List<String> tokensById, List<String[]> merges) {
    public BpeModel {
        tokensById = List.copyOf(tokensById);
        merges = List.copyOf(merges);
    }
}
