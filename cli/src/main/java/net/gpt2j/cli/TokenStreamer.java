package net.gpt2j.cli;

import java.io.PrintStream;
import java.util.Arrays;
import net.gpt2j.runtime.generate.TokenListener;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;

/**
 * Prints one row's text as its tokens are decided. Each token is decoded with everything before it
 * and only the new suffix is printed, so a character split over two byte-level tokens comes out whole:
 * while the text ends in an incomplete UTF-8 sequence (decoded as U+FFFD) the tail is held back.
 * A write that fails (stdout's reader has gone) throws {@link StdoutClosed}, which stops the generation.
 */
final class TokenStreamer implements TokenListener {

    private static final char REPLACEMENT = '\uFFFD';

    private final Gpt2Tokenizer tokenizer;
    private final PrintStream out;
    private int[] ids;
    private int printed; // chars of decode(ids) already printed

    TokenStreamer(Gpt2Tokenizer tokenizer, int[] promptIds, PrintStream out) {
        this.tokenizer = tokenizer;
        this.out = out;
        this.ids = promptIds.clone();
    }

    /** Prints the prompt, as the finished line would start with it. */
    void start() {
        emit(false);
    }

    @Override
    public void decided(int row, int step, int token) {
        ids = Arrays.copyOf(ids, ids.length + 1);
        ids[ids.length - 1] = token;
        emit(false);
    }

    /** Whatever was held back, then the end of the line. */
    void finish() {
        emit(true);
        out.println();
        out.flush();
    }

    private void emit(boolean last) {
        String text = tokenizer.decode(ids);
        int end = text.length();
        if (!last) {
            while (end > printed && text.charAt(end - 1) == REPLACEMENT) {
                end--;
            }
        }
        if (end > printed) {
            out.print(text.substring(printed, end));
            out.flush();
            printed = end;
            if (out.checkError()) { // the reader has gone: generating on would print to nobody
                throw new StdoutClosed();
            }
        }
    }
}
