package net.gpt2j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;
import net.gpt2j.runtime.tokenizer.SpecialTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print GPT-2 token ids of TEXT (HuggingFace GPT2Tokenizer semantics; <|endoftext|> becomes 50256).")
final class TokenizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TEXT")
    String text;

    @Option(names = "--model", description = "A hub GPT-2 folder whose tokenizer to use: vocab.json + merges.txt or tokenizer.json (default: the real GPT-2 vocabulary shipped in golden/).")
    Path model;

    @Option(names = "--special", defaultValue = "ENCODE_AS_SPECIAL",
            description = "How <|endoftext|> in the text is treated: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    SpecialTokens special;

    @Option(names = "--decode", description = "Also print the ids decoded back to text.")
    boolean decode;

    @Override
    public Integer call() throws Exception {
        Gpt2Tokenizer tokenizer = model == null ? Gpt2Tokenizer.fromGoldenData()
                : Gpt2Tokenizer.fromHubFolder(model);
        int[] ids = tokenizer.encode(text, special);
        System.out.println(Arrays.toString(ids));
        if (decode) {
            System.out.println(tokenizer.decode(ids));
        }
        return 0;
    }
}
