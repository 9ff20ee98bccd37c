package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gpt2 command as a user runs it: exit codes, what is printed, what is (not) written. */
class CommandLineTest {

    @TempDir
    static Path dir;

    private static Path checkpoint;
    private static Path converted;

    record Run(int exit, String out, String err) {}

    static Run gpt2(String... args) {
        return gpt2WithStdin("", args);
    }

    static Run gpt2WithStdin(String stdin, String... args) {
        Shell.Run r = Shell.gpt2WithStdin(stdin, args);
        return new Run(r.exit(), r.out(), r.err());
    }

    @BeforeAll
    static void fixtureAndConversion() {
        checkpoint = dir.resolve("tiny");
        converted = dir.resolve("tiny-converted");
        Run fixture = gpt2("fixture", "--seed", "1", "--n-layer", "2", "--n-embd", "64", "--n-head", "4", "--n-ctx", "64",
                "--out", checkpoint.toString());
        assertThat(fixture.exit()).as(fixture.err()).isZero();
        Run convert = gpt2("convert", checkpoint.toString(), "--out", converted.toString());
        assertThat(convert.exit()).as(convert.err()).isZero();
        assertThat(convert.out()).contains("28 tensors"); // 12 per block, 4 global: c_attn stays fused
    }

    @Test
    void inspectListsTheReal117MIndexWithOffsetsAndTotal() throws Exception {
        Path index = dir.resolve("model.ckpt.index");
        Files.write(index, GoldenData.read(GoldenData.REAL_INDEX));
        Run run = gpt2("inspect", index.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("model/h0/attn/c_attn/w\\s+DT_FLOAT\\s+\\[1,768,2304\\]\\s+0\\s+9216\\s+7077888")
                .contains("148 tensors, 497,759,232 bytes");
    }

    @Test
    void inspectOfAFixtureFolderListsEveryTensor() {
        Run run = gpt2("inspect", checkpoint.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("model/wte").contains("28 tensors, 13,282,560 bytes");
    }

    @Test
    void convertRefusesAnExistingOutputWithoutForceAndLeavesItAlone() throws Exception {
        Path manifest = converted.resolve("manifest.json");
        String before = Files.readString(manifest);
        Run run = gpt2("convert", checkpoint.toString(), "--out", converted.toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains(converted.toString()).contains("force");
        assertThat(Files.readString(manifest)).isEqualTo(before);
    }

    @Test
    void convertWithTheTensorFlowReaderWritesTheHubFolder() {
        Path out = dir.resolve("tiny-hf");
        Run run = gpt2("convert", checkpoint.toString(), "--out", out.toString(), "--reader", "tensorflow");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("hub GPT-2 folder");
        assertThat(out.resolve("tokenizer.json")).exists();
    }

    @Test
    void theRemovedLayoutOptionIsAnError() {
        Run run = gpt2("convert", checkpoint.toString(), "--out", dir.resolve("x").toString(), "--layout", "runtime");
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--layout");
    }

    @Test
    void convertOfAMissingSourceFailsNamingIt() {
        Path missing = dir.resolve("no-such-checkpoint");
        Run run = gpt2("convert", missing.toString(), "--out", dir.resolve("x").toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("no-such-checkpoint");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void tokenizePrintsHuggingFaceIds() {
        Run run = gpt2("tokenize", "Every effort moves you");
        assertThat(run.exit()).isZero();
        assertThat(run.out().trim()).isEqualTo("[6109, 3626, 6100, 345]");
    }

    @Test
    void generatePrintsTheGoldenGreedyContinuation() {
        // hf-4.57.6/tiny greedy[0]: output_ids start 6109 3626 6100 345 1631 1631 ...
        Run run = gpt2("generate", "--model", converted.toString(), "--prompt", "Every effort moves you",
                "--max-new-tokens", "4", "--device", "cpu", "--ids");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("[6109, 3626, 6100, 345, 1631, 1631");
    }

    /** Without --eos-token-id the folder's generation_config.json sets the end tokens, as HF's generate() reads them. */
    @Test
    void theFoldersGenerationConfigSetsTheEndTokensUnlessTheOptionDoes() throws Exception {
        Path folder = TestFolders.copyOf(converted, dir.resolve("end-at-1631"));
        Files.writeString(folder.resolve("generation_config.json"), "{\"eos_token_id\": [50256, 1631]}");
        String[] args = {"generate", "--model", folder.toString(), "--prompt", "Every effort moves you", "--max-new-tokens", "4",
            "--no-verify-weights", "--ids", "-q"};
        Run fromFolder = gpt2(args);
        assertThat(fromFolder.exit()).as(fromFolder.err()).isZero();
        assertThat(fromFolder.out()).contains("[6109, 3626, 6100, 345, 1631]\n");
        String[] overridden = Arrays.copyOf(args, args.length + 2);
        overridden[args.length] = "--eos-token-id";
        overridden[args.length + 1] = "50256";
        assertThat(gpt2(overridden).out()).contains("[6109, 3626, 6100, 345, 1631, 1631");
        Files.writeString(folder.resolve("generation_config.json"), "{\"eos_token_id\": \"end\"}");
        Run bad = gpt2(args);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("gpt2 generate: error: " + folder.resolve("generation_config.json")
                + ": field 'eos_token_id' must be a token id or a list of them, got \"end\"");
    }

    /** -v says how many threads the decode steps ran on, which kernel the products ran on and where the weights live. */
    @Test
    void verboseGenerateSaysWhatThreadsTheDecodeStepsRanOnAndTheProductsKernel() {
        Run run = gpt2("-v", "generate", "--model", converted.toString(), "--prompt", "Every effort moves you",
                "--max-new-tokens", "3", "--device", "cpu");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).containsPattern("gpt2 generate: decode threads: auto; (no decode step yet had more than one"
                + " thread to choose from|all, untried: oneDNN's products split a row across threads)");
        assertThat(run.err()).containsPattern("gpt2 generate: matrix products: (oneDNN|BLAS) \\(auto");
        // by default every weight is copied into engine memory; the line names the switch to map them
        assertThat(run.err()).containsPattern("gpt2 generate: weights: [1-9]\\d* (kB|MB) copied \\(gpt2j.weight_memory=mapped to use the files' pages\\)");
    }

    @Test
    void generateFromTheOpenAiReleaseConvertsItIntoTheCacheOnce() throws Exception {
        Path cache = dir.resolve("cache");
        for (int run = 0; run < 2; run++) {
            Run r = gpt2("generate", "--model", checkpoint.toString(), "--cache-dir", cache.toString(),
                    "--prompt", "Every effort moves you", "--max-new-tokens", "4", "--device", "cpu", "--ids");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("[6109, 3626, 6100, 345, 1631, 1631");
        }
        try (java.util.stream.Stream<Path> s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("tiny-");
        }
    }

    @Test
    void verifyAndTokenizeTakeTheOpenAiReleaseToo() throws Exception {
        Path cache = dir.resolve("cache-verify");
        Run v = gpt2("verify", "--model", checkpoint.toString(), "--cache-dir", cache.toString(), "--device", "cpu",
                "--report-dir", dir.resolve("release-reports").toString());
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out()).contains("0 failed").contains("left out");
        try (java.util.stream.Stream<Path> s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("tiny-");
        }
        Run t = gpt2("tokenize", "--model", checkpoint.toString(), "Hello world");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out().strip()).isEqualTo("[15496, 995]");
    }

    /** A value no model could use is a usage error (2) naming the option; one this model cannot hold is a failed run (1). */
    @Test
    void generateRefusesBadArgumentsNamingThem() {
        Run beams = gpt2("generate", "--model", converted.toString(), "--prompt", "hi", "--num-beams", "0");
        assertThat(beams.exit()).isEqualTo(2);
        assertThat(beams.err()).startsWith("gpt2 generate: error: --num-beams ").doesNotContain("num_beams");
        Run topP = gpt2("generate", "--model", converted.toString(), "--prompt", "hi", "--sample", "--top-p", "1.5");
        assertThat(topP.exit()).isEqualTo(2);
        assertThat(topP.err()).startsWith("gpt2 generate: error: --top-p ").doesNotContain("top_p");
        Run tooLong = gpt2("generate", "--model", converted.toString(), "--prompt", "hi", "--max-new-tokens", "100");
        assertThat(tooLong.exit()).isEqualTo(1);
        assertThat(tooLong.err().strip()).isEqualTo("gpt2 generate: error: prompt of 1 tokens plus 100 new tokens exceeds"
                + " the model's n_ctx of 64");
        assertThat(tooLong.out()).as("refused before the prompt is streamed").isEmpty();
    }

    /** {@code gpt2 generate ... | head -c N}: once the reader has gone, the generation stops and exits 141, silently. */
    @Test
    void generateStopsWhenStdoutsReaderHasGone() {
        int[] writes = {0};
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes[0]++;
                throw new IOException("Broken pipe");
            }
        };
        Shell.Run run = Shell.runWithStdout(closedPipe, "generate", "--model", converted.toString(), "--prompt", "hi",
                "--max-new-tokens", "50", "--eos-token-id", "-1");
        assertThat(run.exit()).isEqualTo(StdoutClosed.EXIT);
        assertThat(run.err()).isEmpty();
        assertThat(writes[0]).as("writes tried on the closed pipe (one per streamed token without the stop)").isEqualTo(1);

        writes[0] = 0; // not streamed (--json): written once at the end, and the status still says it went nowhere
        Shell.Run json = Shell.runWithStdout(closedPipe, "generate", "--model", converted.toString(), "--prompt", "hi",
                "--max-new-tokens", "5", "--json");
        assertThat(json.exit()).isEqualTo(StdoutClosed.EXIT);
        assertThat(writes[0]).isPositive();
    }

    /** stdout on a full device (as `> out.txt` on a full disk): not a closed pipe, so one line naming it, status 1. */
    @Test
    void generateIntoAFullDeviceSaysSo() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "no /dev/full here");
        Shell.Run run = Shell.inChildJvm(List.of(), ProcessBuilder.Redirect.to(full.toFile()), "generate", "--model",
                converted.toString(), "--prompt", "hi", "--max-new-tokens", "20", "--eos-token-id", "-1");
        assertThat(run.err().strip()).isEqualTo("gpt2 generate: error: cannot write the output to /dev/full");
        assertThat(run.exit()).isEqualTo(1);
    }

    /** A golden file the kit has never seen (a new fixture name, a subset of cases) is run from disk. */
    @Test
    void verifyRunsAGoldenFileItHasNeverSeenAndWritesReports() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode golden = (ObjectNode) json.readTree(GoldenData.open(GoldenData.modelGolden("4.57.6", "tiny")));
        golden.put("fixture", "tiny-again");
        for (String kind : new String[] {"beam", "batch_greedy", "warpers", "perplexity"}) {
            golden.set(kind, json.createArrayNode());
        }
        ArrayNode greedy = (ArrayNode) golden.get("greedy");
        while (greedy.size() > 2) {
            greedy.remove(greedy.size() - 1);
        }
        Path file = dir.resolve("tiny-again.golden.json");
        json.writeValue(file.toFile(), golden);
        Path reports = dir.resolve("reports");
        Run run = gpt2("verify", "--golden", file.toString(), "--report-dir", reports.toString(), "--device", "cpu");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("logits").contains("greedy").contains("OK");
        assertThat(reports.resolve("kit-report.md")).exists();
        try (var xml = Files.list(reports)) {
            assertThat(xml.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".xml"));
        }
    }

    /** A golden of the model's shape whose recording disagrees: the console names the case and says why. */
    @Test
    void verifyPrintsEachFailuresReasonOnTheConsole() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode golden = (ObjectNode) json.readTree(GoldenData.open(GoldenData.modelGolden("4.57.6", "tiny")));
        for (String kind : new String[] {"greedy", "beam", "batch_greedy", "warpers", "perplexity"}) {
            golden.set(kind, json.createArrayNode());
        }
        ArrayNode logits = (ArrayNode) golden.get("logits");
        while (logits.size() > 1) {
            logits.remove(logits.size() - 1);
        }
        ArrayNode top = (ArrayNode) logits.get(0).get("positions").get(0).get("top").get(0);
        top.set(1, json.getNodeFactory().numberNode(top.get(1).asDouble() + 0.5)); // a recording 0.5 off
        Path file = dir.resolve("tiny-wrong.golden.json");
        json.writeValue(file.toFile(), golden);
        Run run = gpt2("verify", "--golden", file.toString(), "--model", converted.toString(),
                "--report-dir", dir.resolve("wrong-reports").toString(), "--device", "cpu");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("(?m)^  FAILED .*logits.*: .*\\S");
        assertThat(run.out()).contains("1 failed");
        Run asJson = gpt2("verify", "--golden", file.toString(), "--model", converted.toString(),
                "--report-dir", dir.resolve("wrong-reports-json").toString(), "--device", "cpu", "--json");
        assertThat(asJson.exit()).isEqualTo(1);
        var result = json.readTree(asJson.out());
        assertThat(result.get("failed").asInt()).isEqualTo(1);
        assertThat(result.get("failures").get(0).get("reason").asText()).isNotBlank();
    }

    /** A golden recorded on another shape is one named skip, not dozens of numeric failures. */
    @Test
    void verifyLeavesOutGoldensRecordedForAnotherModelShape() throws Exception {
        Path odd = dir.resolve("odd");
        assertThat(gpt2("fixture", "--seed", "20191105", "--n-layer", "3", "--n-embd", "48", "--n-head", "3", "--n-ctx", "48",
                "--out", odd.toString()).exit()).isZero();
        Path oddConverted = dir.resolve("odd-converted");
        assertThat(gpt2("convert", odd.toString(), "--out", oddConverted.toString()).exit()).isZero();
        Path tinyGolden = dir.resolve("tiny-logits.golden.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode golden = (ObjectNode) json.readTree(GoldenData.open(GoldenData.modelGolden("4.57.6", "tiny")));
        for (String kind : new String[] {"greedy", "beam", "batch_greedy", "warpers", "perplexity"}) {
            golden.set(kind, json.createArrayNode());
        }
        json.writeValue(tinyGolden.toFile(), golden);
        Path tokenizerGolden = dir.resolve("tokenizer.golden.json");
        Files.write(tokenizerGolden, GoldenData.read(GoldenData.TOKENIZER_GOLDEN));

        Run onlyOtherShape = gpt2("verify", "--golden", tinyGolden.toString(), "--model", oddConverted.toString(),
                "--report-dir", dir.resolve("bad-reports").toString(), "--device", "cpu");
        assertThat(onlyOtherShape.exit()).isEqualTo(1);
        assertThat(onlyOtherShape.out()).contains("left out " + tinyGolden + ": recorded for another model shape")
                .doesNotContain("NOT OK");
        assertThat(onlyOtherShape.err()).contains("nothing to verify").hasLineCount(1);

        Run mixed = gpt2("verify", "--golden", tinyGolden.toString(), "--golden", tokenizerGolden.toString(),
                "--model", oddConverted.toString(), "--report-dir", dir.resolve("mixed-reports").toString(), "--device", "cpu");
        assertThat(mixed.exit()).as(mixed.out() + mixed.err()).isZero();
        assertThat(mixed.out()).contains("recorded for another model shape").contains("0 failed");
    }

    @Test
    void verifyModelAloneSelectsThePackagedGoldensOfItsShape() throws Exception {
        GoldenSelection tiny = GoldenSelection.packaged(PipelineCommand.TINY, dir.resolve("selected"));
        assertThat(tiny.leftOut()).extracting(GoldenSelection.LeftOut::golden)
                .containsExactlyInAnyOrder("hf-4.57.6/odd.golden.json", "hf-4.28.1/odd.golden.json", "activations/odd.activations.json",
                        "hf-5.18.0/seed-max.golden.json", "hf-5.18.0/padded-vocab.golden.json");
        assertThat(tiny.kept()).extracting(p -> dir.resolve("selected").relativize(p).toString())
                .contains("hf-4.57.6/tiny.golden.json", "activations/tiny.activations.json", "tokenizer.golden.json");
        assertThat(tiny.kept()).allMatch(Files::isRegularFile);
    }

    @Test
    void verifyRefusesCudaWithoutAGpuAndANonReleaseCheckpointInOneLine() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        Run cuda = gpt2("verify", "--device", "cuda", "--report-dir", dir.resolve("cuda-reports").toString());
        assertThat(cuda.exit()).isEqualTo(1);
        assertThat(cuda.err().strip()).startsWith("gpt2 verify: error: --device cuda:").contains("no CUDA GPU").hasLineCount(1);
        assertThat(cuda.out()).isEmpty();

        // a folder of other files: neither the release nor a hub folder of it (which --checkpoint also takes)
        Path other = Files.createDirectories(dir.resolve("not-a-release"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        Run notRelease = gpt2("verify", "--checkpoint", other.toString(), "--report-dir", dir.resolve("ck-reports").toString());
        assertThat(notRelease.exit()).isEqualTo(1);
        assertThat(notRelease.err()).contains("is not an OpenAI GPT-2 release folder").contains("hparams.json")
                .contains("nor a hub folder of one (no config.json)").hasLineCount(1);
    }

    // generate: HF's semantics, streaming, scripting

    private Run generate(String... extra) {
        return generateWithStdin("", extra);
    }

    private Run generateWithStdin(String stdin, String... extra) {
        String[] args = new String[extra.length + 5];
        args[0] = "generate";
        args[1] = "--model";
        args[2] = converted.toString();
        args[3] = "--device";
        args[4] = "cpu";
        System.arraycopy(extra, 0, args, 5, extra.length);
        return gpt2WithStdin(stdin, args);
    }

    @Test
    void samplingReturnsNumReturnSequencesAndAFreshSeedItPrints() {
        Run run = generate("--prompt", "Every effort moves you", "--sample", "--num-return-sequences", "3",
                "--max-new-tokens", "6", "--ids");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("[6109, 3626, 6100, 345"))).hasSize(3);
        java.util.regex.Matcher seed = java.util.regex.Pattern.compile("seed (\\d+) \\(repeat this run with --seed \\1\\)").matcher(run.err());
        assertThat(seed.find()).as(run.err()).isTrue();
        Run again = generate("--prompt", "Every effort moves you", "--sample", "--num-return-sequences", "3",
                "--max-new-tokens", "6", "--ids", "--seed", seed.group(1));
        assertThat(again.out()).isEqualTo(run.out());
        assertThat(again.err()).doesNotContain("repeat this run");
        Run other = generate("--prompt", "Every effort moves you", "--sample", "--num-return-sequences", "3",
                "--max-new-tokens", "6", "--ids");
        assertThat(other.err()).doesNotContain("seed " + seed.group(1) + " "); // a fresh seed each run
    }

    @Test
    void flagsTheChosenDecodingIgnoresAreWarnedAboutAsHfDoes() {
        Run run = generate("--prompt", "hi", "--max-new-tokens", "2", "--temperature", "0.7", "--top-k", "5", "--top-p", "0.9");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("warning: --temperature 0.7 is only used when sampling")
                .contains("warning: --top-k 5").contains("warning: --top-p 0.9");
        Run neutral = generate("--prompt", "hi", "--max-new-tokens", "2", "--temperature", "1.0", "--top-k", "50");
        assertThat(neutral.err()).doesNotContain("warning"); // HF is silent at its neutral values too
        Run quiet = generate("-q", "--prompt", "hi", "--max-new-tokens", "2", "--temperature", "0.7");
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void minAboveMaxIsWarnedAndAnEosOutsideTheVocabularyIsRefused() {
        Run minMax = generate("--prompt", "hi", "--max-new-tokens", "2", "--min-new-tokens", "5");
        assertThat(minMax.exit()).isZero();
        assertThat(minMax.err()).contains("warning: --min-new-tokens (5) is larger than --max-new-tokens (2)");
        Run eos = generate("--prompt", "hi", "--max-new-tokens", "2", "--eos-token-id", "50257");
        assertThat(eos.exit()).isEqualTo(1);
        assertThat(eos.err().strip()).isEqualTo("gpt2 generate: error: --eos-token-id 50257 is outside the model's vocabulary of 50257 ids: the model can never generate it");
    }

    @Test
    void greedyTextIsStreamedAndASummaryLineEndsOnStderr() {
        Run run = generate("--prompt", "Every effort moves you", "--max-new-tokens", "4");
        assertThat(run.exit()).isZero();
        Run ids = generate("--prompt", "Every effort moves you", "--max-new-tokens", "4", "--json");
        String text = ids.out().isEmpty() ? "" : readJson(ids.out()).get("sequences").get(0).get("text").asText();
        assertThat(run.out()).isEqualTo(text + System.lineSeparator());
        assertThat(run.err()).containsPattern("loaded in \\d+\\.\\d+ s; 4 prompt tokens, 4 new tokens in \\d+\\.\\d+ s \\(\\d+\\.\\d tok/s\\) on cpu");
    }

    @Test
    void jsonHasIdsTextScoresAndTimings() {
        Run run = generate("--prompt", "Every effort moves you", "--max-new-tokens", "3", "--num-beams", "2",
                "--num-return-sequences", "2", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        var json = readJson(run.out());
        assertThat(json.get("sequences")).hasSize(2);
        var best = json.get("sequences").get(0);
        assertThat(best.get("ids").get(0).asInt()).isEqualTo(6109);
        assertThat(best.get("new_ids")).hasSize(3);
        assertThat(best.get("score").isNumber()).isTrue();
        assertThat(json.get("timings").get("new_tokens").asInt()).isEqualTo(6);
        assertThat(json.get("device").asText()).contains("cpu");
    }

    @Test
    void promptsFromStdinAndFromAFileAreOneBatch() throws Exception {
        Run single = generateWithStdin("Every effort moves you\n", "--prompt", "-", "--max-new-tokens", "4", "--ids");
        assertThat(single.out()).contains("[6109, 3626, 6100, 345, 1631, 1631");
        Run batch = generateWithStdin("Every effort moves you\nHello\n", "--prompt-file", "-", "--max-new-tokens", "4", "--ids");
        assertThat(batch.exit()).as(batch.err()).isZero();
        // the batch is left-padded as HF pads it: each row's greedy result is the one it gets alone
        assertThat(batch.out()).contains("[6109, 3626, 6100, 345, 1631, 1631");
        assertThat(batch.out().lines().filter(l -> l.startsWith("["))).hasSize(2);
        Path file = dir.resolve("prompts.txt");
        Files.writeString(file, "Every effort moves you\n\nHello\n");
        Run fromFile = generate("--prompt-file", file.toString(), "--max-new-tokens", "4", "--ids");
        assertThat(fromFile.out()).isEqualTo(batch.out());
        // as Windows' Notepad saves it: a byte-order mark first, CRLF line ends; neither is prompt text
        Path windows = dir.resolve("prompts-windows.txt");
        Files.writeString(windows, "\uFEFFEvery effort moves you\r\n\r\nHello\r\n");
        Run fromWindows = generate("--prompt-file", windows.toString(), "--max-new-tokens", "4", "--ids");
        assertThat(fromWindows.out()).isEqualTo(batch.out());
        Run missing = generate("--prompt-file", dir.resolve("nope.txt").toString());
        assertThat(missing.err().strip()).endsWith("nope.txt: not found");
        Run folder = generate("--prompt-file", dir.toString());
        assertThat(folder.err().strip()).isEqualTo("gpt2 generate: error: --prompt-file " + dir + ": cannot read it (Is a directory)");
    }

    @Test
    void aRequestWhoseMemoryCannotExistIsRefusedBeforeGenerating() {
        Run run = generate("--prompt", "hi", "--num-beams", "60000", "--max-new-tokens", "2");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("60000 beam(s) = 60,000 rows need").hasLineCount(1);
    }

    @Test
    void aMissingModelSaysNotFound() {
        Run run = gpt2("generate", "--model", dir.resolve("no-such-model").toString(), "--prompt", "hi");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("gpt2 generate: error: --model " + dir.resolve("no-such-model") + ": not found");
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
