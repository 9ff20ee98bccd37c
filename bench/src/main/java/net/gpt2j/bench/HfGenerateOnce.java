package net.gpt2j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HuggingFace's side of {@code bench/run cli --hf-python PATH}: the CLI's generation as a user would
 * run it with transformers, a fresh Python process per run ({@code hf_generate_once.py}: import, load
 * the same hub folder, the same prompt, greedy, the same new tokens, no EOS). The script is written
 * to a temporary file once and removed by {@link #close}.
 */
final class HfGenerateOnce implements AutoCloseable {

    /** One HF process: its parts in seconds, the prompt's token count and the row's ids (prompt and new tokens). */
    record Result(String versions, double importSeconds, double loadSeconds, int promptTokens, double prefillSeconds,
            double decodeSeconds, int[] ids) {

        private static final ObjectMapper JSON = new ObjectMapper();

        /** From the script's stdout: its one JSON line (the last line that starts with '{'). */
        static Result parse(List<String> stdout) {
            String line = null;
            for (String l : stdout) {
                if (l.startsWith("{")) {
                    line = l;
                }
            }
            if (line == null) {
                throw new IllegalStateException("the HF side printed no JSON line: " + stdout);
            }
            try {
                JsonNode n = JSON.readTree(line);
                JsonNode ids = required(n, "ids");
                int[] out = new int[ids.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = ids.get(i).asInt();
                }
                return new Result(required(n, "versions").asText(), required(n, "import_s").asDouble(),
                        required(n, "load_s").asDouble(), required(n, "prompt_tokens").asInt(),
                        required(n, "prefill_s").asDouble(), required(n, "decode_s").asDouble(), out);
            } catch (IOException e) {
                throw new IllegalStateException("the HF side's line is not JSON: " + line, e);
            }
        }

        private static JsonNode required(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null) {
                throw new IllegalStateException("the HF side's line has no '" + field + "': " + n);
            }
            return v;
        }

        double generateSeconds() {
            return prefillSeconds + decodeSeconds;
        }
    }

    private final String python;
    private final Path script;

    HfGenerateOnce(String python) {
        this.python = python;
        try {
            script = Files.createTempFile("hf_generate_once", ".py");
            try (InputStream s = HfGenerateOnce.class.getResourceAsStream("hf_generate_once.py")) {
                if (s == null) {
                    throw new IllegalStateException("the bench jar lacks hf_generate_once.py");
                }
                Files.write(script, s.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HF side's script to a temporary file", e);
        }
    }

    /** The child's command line: the script on {@code hub}, {@code prompt}, {@code newTokens} on {@code threads} threads. */
    List<String> command(Path hub, String prompt, int newTokens, int threads) {
        return List.of(python, script.toString(), hub.toString(), prompt, String.valueOf(newTokens), String.valueOf(threads));
    }

    String python() {
        return python;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(script);
    }
}
