package net.gpt2j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text a user gives on stdin or in a file, decoded as strict UTF-8: bytes that are not UTF-8 are
 * refused, naming where they come from and the first bad byte's offset, wherever the text comes from.
 * A lenient decoder would turn them into U+FFFD, which GPT-2 tokenizes as a real character (id
 * 20543), so the model would silently be given another prompt than the file holds.
 */
final class Utf8Text {

    private Utf8Text() {}

    /** {@code bytes} as text, or an {@link IllegalArgumentException} saying {@code what} is not UTF-8 and where. */
    static String decode(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException(what + ": not UTF-8 text (byte " + in.position() + " of " + bytes.length
                    + " starts no valid UTF-8 character)");
        }
        return out.flip().toString();
    }

    /**
     * All of stdin as text, with the one line end a shell adds ({@code echo text |}, or the Enter
     * before Ctrl-D) removed: {@code \n} or {@code \r\n}. On a terminal, a hint first says where the
     * command is waiting, since nothing else would.
     */
    static String stdin(InputStream in, String command, String what) throws IOException {
        if (Terminal.stdinIsTerminal() && !Verbosity.quiet()) {
            System.err.println("gpt2 " + command + ": reading " + what + " from the terminal; end it with Ctrl-D");
        }
        String text = decode(in.readAllBytes(), what + " (stdin)");
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
