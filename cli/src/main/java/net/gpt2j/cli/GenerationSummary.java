package net.gpt2j.cli;

import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * The one line {@code generate} ends with on stderr (load time, prompt and new tokens, tokens per
 * second, device), and the same figures for {@code --json}.
 */
record GenerationSummary(double loadSeconds, int promptTokens, int newTokens, double generateSeconds, String device) {

    double tokensPerSecond() {
        return generateSeconds > 0 ? newTokens / generateSeconds : 0;
    }

    String line() {
        return String.format(Locale.ROOT, "loaded in %.2f s; %d prompt tokens, %d new tokens in %.2f s (%.1f tok/s) on %s",
                loadSeconds, promptTokens, newTokens, generateSeconds, tokensPerSecond(), device);
    }

    /**
     * New tokens of one output row: those after the prompt, up to and including the first end
     * token, one {@code isEnd} accepts (the rest is padding the runtime appends once a row has ended, as HF does).
     */
    static int newTokens(int[] row, int promptLength, IntPredicate isEnd) {
        int n = 0;
        for (int i = promptLength; i < row.length; i++) {
            n++;
            if (isEnd.test(row[i])) {
                break;
            }
        }
        return n;
    }
}
