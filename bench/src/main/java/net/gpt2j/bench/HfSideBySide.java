package net.gpt2j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HuggingFace transformers timing the decode benchmark's tasks in a Python child process
 * ({@code hf_decode.py}), one round per call of {@link #round}, so each Java round has its HF round
 * beside it under the same neighbours. Python waits on its stdin while Java measures.
 */
final class HfSideBySide implements AutoCloseable {

    /** One HF round, in seconds. */
    record Round(double greedy1, double greedy5, double beam5, double forward128) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Path script;
    private final String python;
    private final String description;

    HfSideBySide(String python, int threads, int prompt, int newTokens, int rows) {
        this(python, "hf_decode.py", List.of(String.valueOf(threads), String.valueOf(prompt), String.valueOf(newTokens),
                String.valueOf(rows)));
    }

    /** Runs the resource script {@code scriptName} with {@code args}; its rounds are read with {@link #rawRound}. */
    HfSideBySide(String python, String scriptName, List<String> args) {
        this.python = python;
        try {
            script = scriptFile(scriptName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HF side's script to a temporary file", e);
        }
        try {
            List<String> command = new java.util.ArrayList<>(List.of(python, script.toString()));
            command.addAll(args);
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            description = read().get("ready").asText();
        } catch (IOException e) {
            deleteQuietly(script); // no close() will come for a side that never started
            throw new UncheckedIOException("--hf-python " + python + ": cannot run it (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind: the failure being reported matters more
        }
    }

    /** The bench's resource script {@code scriptName} in a temporary file of its own, for Python to run; the caller deletes it. */
    static Path scriptFile(String scriptName) throws IOException {
        Path script = Files.createTempFile(scriptName.replace(".py", ""), ".py");
        try (InputStream s = HfSideBySide.class.getResourceAsStream(scriptName)) {
            if (s == null) {
                Files.delete(script);
                throw new IllegalStateException("the bench jar lacks " + scriptName);
            }
            Files.write(script, s.readAllBytes());
        }
        return script;
    }

    /** E.g. "transformers 5.18.0, torch 2.13.0+cpu, 2 threads". */
    String description() {
        return description;
    }

    Round round() {
        JsonNode r = rawRound();
        return new Round(r.get("greedy1").asDouble(), r.get("greedy5").asDouble(), r.get("beam5").asDouble(),
                r.get("forward128").asDouble());
    }

    /** One round of the script: its JSON line of seconds per task. */
    JsonNode rawRound() {
        try {
            in.write("run\n");
            in.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("--hf-python " + python + ": the HF side stopped (" + e.getMessage() + ")", e);
        }
    }

    private JsonNode read() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("it exited before answering (is transformers installed for it? its error is above)");
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.close();
            process.waitFor();
            Files.deleteIfExists(script);
        } catch (IOException | InterruptedException e) {
            process.destroy();
        }
    }
}
