package net.gpt2j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * HuggingFace's side of {@code bench/run cli --hf-python PATH}: the CLI's generation as a user would
 * run it with transformers, a fresh Python process per run ({@code hf_generate_once.py}: import, load
 * the same hub folder, the same prompt, greedy, the same new tokens, no EOS), and its table beside the
 * CLI's runs. The script is written to a temporary file once and removed by {@link #close}.
 */
final class HfCliSide implements AutoCloseable {

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

    /** One HF process: its wall time, spawn to exit, and what it printed. */
    record Run(double wallSeconds, Result result) {}

    private final String python;
    private final Path script;
    private final List<String> command;

    /** The HF side of {@code prompt} on {@code hub}, {@code newTokens} new tokens, on {@code threads} threads. */
    HfCliSide(String python, Path hub, String prompt, int newTokens, int threads) {
        this.python = python;
        try {
            script = HfSideBySide.scriptFile("hf_generate_once.py");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the HF side's script to a temporary file", e);
        }
        command = List.of(python, script.toString(), hub.toString(), prompt, String.valueOf(newTokens), String.valueOf(threads));
    }

    /** The child's command line. */
    List<String> command() {
        return command;
    }

    /** One fresh Python process, with the CLI child's environment; its row must hold the prompt and the new tokens. */
    Run run() throws IOException, InterruptedException {
        ChildProcess.Result r;
        try {
            r = ChildProcess.run(command, false, CliLaunch.environment(System.getenv()), true);
        } catch (IOException e) {
            throw new UncheckedIOException("--hf-python " + python + ": cannot run it (" + e.getMessage() + ")", e);
        }
        Result out;
        try {
            out = Result.parse(r.stdout());
        } catch (IllegalStateException e) {
            throw new IllegalStateException("--hf-python " + python + ": " + e.getMessage() + "; its stderr: " + r.stderr(), e);
        }
        if (out.ids().length != CliBench.PROMPT_TOKENS + CliBench.NEW_TOKENS || out.promptTokens() != CliBench.PROMPT_TOKENS) {
            throw new IllegalStateException("the HF side's row holds " + out.ids().length + " tokens after a prompt of "
                    + out.promptTokens() + ", expected " + CliBench.NEW_TOKENS + " new after " + CliBench.PROMPT_TOKENS);
        }
        return new Run(r.seconds(), out);
    }

    /** The CLI beside HF in a fresh Python process, run by run. */
    static void report(int runs, double[] cliWall, CliOutput[] cli, Result[] hf, double[] hfWall,
            int[] cliIds) {
        double[] cliRate = new double[runs];
        double[] cliDecode = new double[runs];
        double[] hfRate = new double[runs];
        double[] hfDecode = new double[runs];
        double[] hfPrefillMs = new double[runs];
        double[] hfImport = new double[runs];
        double[] hfLoad = new double[runs];
        int sameIds = 0;
        for (int r = 0; r < runs; r++) {
            cliRate[r] = cli[r].tokensPerSecond();
            cliDecode[r] = cli[r].decodeStepsPerSecond();
            hfRate[r] = CliBench.NEW_TOKENS / hf[r].generateSeconds();
            hfDecode[r] = (CliBench.NEW_TOKENS - 1) / hf[r].decodeSeconds();
            hfPrefillMs[r] = hf[r].prefillSeconds() * 1e3;
            hfImport[r] = hf[r].importSeconds();
            hfLoad[r] = hf[r].loadSeconds();
            sameIds += Arrays.equals(hf[r].ids(), cliIds) ? 1 : 0;
        }
        Table t = new Table(System.out, "the CLI beside HF as a user runs it: a fresh Python process per run, the same hub folder,"
                + " prompt and 64 new tokens, greedy (" + hf[0].versions() + ")");
        t.row("HF: transformers generate, fresh process per run (prefill + decode)", Spread.of(hfRate), "tok/s");
        t.row("ratio CLI / HF, whole generation (per run; > 1: the CLI faster)", Spread.pairedRatios(cliRate, hfRate), "");
        t.row("HF prefill, until the first token is decided", Spread.of(hfPrefillMs), "ms");
        t.row("HF decode, the 63 steps after the first token", Spread.of(hfDecode), "steps/s");
        t.row("ratio CLI / HF, decode steps (per run)", Spread.pairedRatios(cliDecode, hfDecode), "");
        t.row("HF process wall time, spawn to exit", Spread.of(hfWall), "s");
        t.row("  import torch and transformers", Spread.of(hfImport), "s");
        t.row("  model and tokenizer load (from_pretrained)", Spread.of(hfLoad), "s");
        t.row("ratio HF process / CLI process, wall time (per run; > 1: the CLI's user waits less)",
                Spread.pairedRatios(hfWall, cliWall), "");
        t.note("HF's new ids equal the CLI's in " + sameIds + " of " + runs + " runs (the same weights in float32;"
                + " another torch and other kernels may break a near tie the other way)");
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(script);
    }
}
