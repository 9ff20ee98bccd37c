package net.gpt2j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import net.gpt2j.runtime.tokenizer.DisallowedSpecialTokenException;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;
import net.gpt2j.runtime.tokenizer.SpecialTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print GPT-2 token ids of TEXT (HuggingFace GPT2Tokenizer semantics; <|endoftext|> becomes 50256), "
                + "or with --ids turn ids back into text.",
            "TEXT '-' or no TEXT reads stdin. Option values are accepted in any case."})
final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT", description = "Text to encode; '-' or absent: stdin.")
    String text;

    @Option(names = "--ids", split = ",", paramLabel = "ID[,ID...]",
            description = "Decode these ids to text instead of encoding (e.g. --ids 15496,995).")
    int[] ids;

    @Option(names = "--model", description = "A hub GPT-2 folder whose tokenizer to use (vocab.json + merges.txt or tokenizer.json), or an OpenAI release folder (encoder.json + vocab.bpe). Default: the real GPT-2 vocabulary shipped in golden/.")
    Path model;

    @Option(names = "--special", defaultValue = "ENCODE_AS_SPECIAL",
            description = "How <|endoftext|> in TEXT is treated: ${COMPLETION-CANDIDATES}.")
    SpecialTokens special;

    @Option(names = "--count", description = "Print only the number of tokens.")
    boolean count;

    @Option(names = "--pieces", description = "Print each token on its own line: id, then its text (as JSON string, so spaces and newlines show).")
    boolean pieces;

    @Option(names = "--decode", description = "Also print the ids decoded back to text.")
    boolean decode;

    @Option(names = "--json", description = "Print one JSON object: ids, pieces, count (and text when decoding).")
    boolean json;

    /**
     * Made on first use (--json, --pieces): creating an ObjectMapper loads Jackson's databind, about a
     * fifth of a second of a plain {@code gpt2 tokenize TEXT}'s start in a fresh JVM, for nothing.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (ids != null && text != null) { // a usage error (status 2), before any vocabulary is read
            throw OptionValue.refused(spec, "give either TEXT to encode or --ids to decode, not both");
        }
        Gpt2Tokenizer tokenizer = tokenizer();
        if (ids != null) {
            for (int id : ids) {
                if (id < 0 || id >= tokenizer.vocabSize()) {
                    throw new IllegalArgumentException("--ids: " + id + " is outside the vocabulary of " + tokenizer.vocabSize() + " ids");
                }
            }
            String decoded = tokenizer.decode(ids);
            if (json) {
                ObjectNode o = result(tokenizer, ids);
                o.put("text", decoded);
                out.println(Json.MAPPER.writeValueAsString(o));
            } else if (count) {
                out.println(ids.length);
            } else {
                out.println(decoded);
            }
            return 0;
        }
        String input = text == null || text.equals(PromptInput.STDIN) ? stdinText() : text;
        int[] encoded;
        try {
            encoded = tokenizer.encode(input, special);
        } catch (DisallowedSpecialTokenException e) {
            throw new IllegalArgumentException("TEXT contains the special token " + e.token() + " at character " + e.index()
                    + ", which --special refuse refuses; use --special encode_as_special for its id ("
                    + tokenizer.endOfTextId() + ") or --special encode_as_text to encode it as ordinary text");
        }
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(result(tokenizer, encoded)));
        } else if (count) {
            out.println(encoded.length);
        } else if (pieces) {
            for (int id : encoded) {
                out.println(id + "\t" + Json.MAPPER.writeValueAsString(tokenizer.decode(new int[] {id})));
            }
        } else {
            out.println(Arrays.toString(encoded));
            if (decode) {
                out.println(tokenizer.decode(encoded));
            }
        }
        return 0;
    }

    private Gpt2Tokenizer tokenizer() throws java.io.IOException {
        if (model == null) {
            return Gpt2Tokenizer.fromGoldenData();
        }
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("--model " + model + ": not found");
        }
        if (!Files.isDirectory(model)) { // generate converts an archive into its cache; tokenize reads files in place
            throw new IllegalArgumentException("--model " + model + " is not a folder: tokenize reads the tokenizer files of a"
                    + " hub folder or of an OpenAI release folder (unpack an archive, or give the folder generate converted it to)");
        }
        // a hub folder's vocab.json + merges.txt or tokenizer.json, else an OpenAI release's own encoder.json + vocab.bpe
        return Gpt2Tokenizer.fromHubFolder(model);
    }

    private static String stdinText() throws java.io.IOException {
        // `echo text | gpt2 tokenize` adds a line end the user did not type as part of the text
        return Utf8Text.stdin(System.in, "tokenize", "TEXT");
    }

    private static ObjectNode result(Gpt2Tokenizer tokenizer, int[] ids) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode idArray = o.putArray("ids");
        ArrayNode pieceArray = o.putArray("pieces");
        for (int id : ids) {
            idArray.add(id);
            pieceArray.add(tokenizer.decode(new int[] {id}));
        }
        o.put("count", ids.length);
        return o;
    }

}
