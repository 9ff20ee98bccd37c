package net.gpt2j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where {@code generate}'s prompts come from: {@code --prompt TEXT} (repeatable; {@code -} reads
 * all of stdin as one prompt) or {@code --prompt-file FILE} (one prompt per line; {@code -} is
 * stdin). Several prompts are generated as one batch, as HF does with a padded batch.
 */
final class PromptInput {

    static final String STDIN = "-";
    private static final String COMMAND = "generate";
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--prompt", paramLabel = "TEXT",
                description = "A prompt; repeat for a batch. '-' reads stdin (all of it, one prompt).")
        List<String> prompts;

        @Option(names = "--prompt-file", paramLabel = "FILE",
                description = "Prompts, one per line (empty lines skipped; a leading byte-order mark and CRLF line ends are "
                        + "not prompt text), generated as one batch. '-' reads stdin.")
        String promptFile;
    }

    List<String> read(InputStream stdin) throws IOException {
        List<String> out = new ArrayList<>();
        if (source.promptFile != null) {
            String text = source.promptFile.equals(STDIN) ? Utf8Text.stdin(stdin, COMMAND, "--prompt-file -")
                    : readFile(Path.of(source.promptFile));
            if (text.startsWith(BYTE_ORDER_MARK)) { // as Windows editors save UTF-8: a mark, not prompt text
                text = text.substring(1);
            }
            text.lines().filter(l -> !l.isBlank()).forEach(out::add);
            if (out.isEmpty()) {
                throw new IllegalArgumentException("--prompt-file " + source.promptFile + " holds no prompt (every line is empty)");
            }
            return out;
        }
        for (String p : source.prompts) {
            if (p.equals(STDIN)) {
                out.add(Utf8Text.stdin(stdin, COMMAND, "--prompt -"));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static String readFile(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--prompt-file " + file + ": not found");
        } catch (IOException e) { // "Is a directory", "Permission denied": the JDK's message names no file
            throw new IllegalArgumentException("--prompt-file " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        return Utf8Text.decode(bytes, "--prompt-file " + file);
    }
}
