package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cli = Gpt2.commandLine();
            cli.setOut(new java.io.PrintWriter(System.out, true));
            cli.setErr(new java.io.PrintWriter(System.err, true));
            int exit = cli.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
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
    void generateRefusesBadArgumentsNamingThem() {
        Run beams = gpt2("generate", "--model", converted.toString(), "--prompt", "hi", "--num-beams", "0");
        assertThat(beams.exit()).isNotZero();
        assertThat(beams.err()).contains("num_beams");
        Run topP = gpt2("generate", "--model", converted.toString(), "--prompt", "hi", "--sample", "--top-p", "1.5");
        assertThat(topP.exit()).isNotZero();
        assertThat(topP.err()).contains("top_p");
        Run tooLong = gpt2("generate", "--model", converted.toString(), "--prompt", "hi", "--max-new-tokens", "100");
        assertThat(tooLong.exit()).isNotZero();
        assertThat(tooLong.err()).contains("n_ctx");
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

    @Test
    void verifyFailsWithNonZeroExitWhenTheModelIsWrong() throws Exception {
        // the odd fixture's converted folder is not the model the tiny golden was recorded on
        Path odd = dir.resolve("odd");
        assertThat(gpt2("fixture", "--seed", "20191105", "--n-layer", "3", "--n-embd", "48", "--n-head", "3", "--n-ctx", "48",
                "--out", odd.toString()).exit()).isZero();
        Path oddConverted = dir.resolve("odd-converted");
        assertThat(gpt2("convert", odd.toString(), "--out", oddConverted.toString()).exit()).isZero();
        Path file = dir.resolve("tiny-logits.golden.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode golden = (ObjectNode) json.readTree(GoldenData.open(GoldenData.modelGolden("4.57.6", "tiny")));
        for (String kind : new String[] {"greedy", "beam", "batch_greedy", "warpers", "perplexity"}) {
            golden.set(kind, json.createArrayNode());
        }
        json.writeValue(file.toFile(), golden);
        Run run = gpt2("verify", "--golden", file.toString(), "--model", oddConverted.toString(),
                "--report-dir", dir.resolve("bad-reports").toString(), "--device", "cpu");
        assertThat(run.exit()).isNotZero();
        assertThat(run.out()).contains("NOT OK");
    }
}
