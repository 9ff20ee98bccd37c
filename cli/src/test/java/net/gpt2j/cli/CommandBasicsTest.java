package net.gpt2j.cli;

import static net.gpt2j.cli.Shell.gpt2;
import static net.gpt2j.cli.Shell.gpt2WithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The command line's own behaviour, needing no model: help, version, errors, tokenize, download's folders, inspect --json. */
class CommandBasicsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void bareGpt2PrintsHelpOnStderrAndExits2() {
        Shell.Run run = gpt2();
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Usage: gpt2").contains("generate").contains("verify");
    }

    @Test
    void aMistypedArgumentIsOneLineNamingItWithWhereHelpIsAndExits2() {
        Shell.Run run = gpt2("generate", "--model", "m", "--prompt", "hi", "--num-beams", "many");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                "gpt2 generate: error: Invalid value for option '--num-beams': 'many' is not an int (try 'gpt2 generate --help')");
        Shell.Run missing = gpt2("generate", "--prompt", "hi");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().lines()).containsExactly(
                "gpt2 generate: error: Missing required option: '--model=DIR' (try 'gpt2 generate --help')");
        // picocli starts some messages with "Error: ": the line says it once
        Shell.Run both = gpt2("generate", "--model", "m", "--prompt", "hi", "--prompt-file", "p.txt");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().lines()).singleElement().asString()
                .startsWith("gpt2 generate: error: --prompt=TEXT, --prompt-file=FILE are mutually exclusive");
    }

    @Test
    void aMistypedNameGetsPicocliSuggestionOnTheSameLine() {
        Shell.Run option = gpt2("tokenize", "--cont", "hi");
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err().lines()).containsExactly(
                "gpt2 tokenize: error: Unknown option: '--cont' (did you mean --count? try 'gpt2 tokenize --help')");
        Shell.Run generate = gpt2("generate", "--model", "m", "--prompt", "hi", "--max-new-token", "3");
        assertThat(generate.err().lines()).singleElement().asString()
                .startsWith("gpt2 generate: error: Unknown options: '--max-new-token'")
                .endsWith(" (did you mean --max-new-tokens? try 'gpt2 generate --help')");
        Shell.Run command = gpt2("generat", "--prompt", "hi");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err().lines()).singleElement().asString()
                .startsWith("gpt2: error: Unmatched arguments from index 0: 'generat', '--prompt', 'hi' (did you mean generate")
                .endsWith("? try 'gpt2 --help')");
    }

    @Test
    void versionNamesTheReleaseAndTheCommit() {
        Shell.Run run = gpt2("-V");
        assertThat(run.exit()).isZero();
        // the build writes the commit it was told (-Dgpt2.commit) or says it was not: never an unfilled ${...}
        assertThat(run.out()).containsPattern("gpt2j \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{7,}(-dirty)?\\)|\\(commit unknown\\)")
                .doesNotContain("${");
    }

    @Test
    void everyOptionOfEveryCommandIsDocumentedWithItsDefault() {
        CommandLine cli = Gpt2.commandLine();
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            String help = sub.getUsageMessage();
            for (OptionSpec o : spec.options()) {
                assertThat(String.join(" ", o.description())).as(spec.name() + " " + o.longestName() + " has a description").isNotBlank();
                if (o.defaultValue() != null && !o.usageHelp() && !o.versionHelp()) {
                    assertThat(help).as(spec.name() + " --help shows " + o.longestName() + "'s default")
                            .contains("Default: " + o.defaultValue());
                }
            }
        }
    }

    @Test
    void aCommandThatRunsOutOfMemoryPrintsOneLineWithAHeapHintAndNoTrace() {
        CommandLine cli = Gpt2.commandLine();
        cli.addSubcommand("exhaust", new Exhaust());
        Shell.Run run = Shell.run(cli, "", "exhaust");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("gpt2 exhaust: error: out of memory (Java heap space)")
                .contains("GPT2_JAVA_OPTS=-Xmx").doesNotContain("\tat ");
    }

    @Test
    void verboseAddsTheJavaStackTrace() {
        CommandLine cli = Gpt2.commandLine();
        cli.addSubcommand("exhaust", new Exhaust());
        Shell.Run run = Shell.run(cli, "", "-v", "exhaust");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("out of memory").contains("\tat ");
    }

    @Test
    void aWrappedExceptionWithoutMessageStillGivesOneLineWithItsCause() {
        CommandLine cli = Gpt2.commandLine();
        cli.addSubcommand("wrapped", new Wrapped());
        Shell.Run run = Shell.run(cli, "", "wrapped");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("gpt2 wrapped: error: /x/encoder.json: not found");
    }

    @CommandLine.Command(name = "wrapped", description = "test only")
    static final class Wrapped implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException(new java.nio.file.NoSuchFileException("/x/encoder.json"));
        }
    }

    @CommandLine.Command(name = "exhaust", description = "test only")
    static final class Exhaust implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    // tokenize, like tiktoken

    @Test
    void tokenizeDecodesIdsCountsAndShowsPieces() throws Exception {
        Shell.Run decode = gpt2("tokenize", "--ids", "15496,995");
        assertThat(decode.exit()).isZero();
        assertThat(decode.out()).isEqualTo("Hello world" + System.lineSeparator());
        Shell.Run count = gpt2("tokenize", "--count", "Every effort moves you");
        assertThat(count.out().strip()).isEqualTo("4");
        Shell.Run pieces = gpt2("tokenize", "--pieces", "Hello world");
        assertThat(pieces.out().lines()).containsExactly("15496\t\"Hello\"", "995\t\" world\"");
        JsonNode json = JSON.readTree(gpt2("tokenize", "--json", "Hello world").out());
        assertThat(json.get("ids").toString()).isEqualTo("[15496,995]");
        assertThat(json.get("pieces").toString()).isEqualTo("[\"Hello\",\" world\"]");
        assertThat(json.get("count").asInt()).isEqualTo(2);
    }

    @Test
    void tokenizeReadsStdinWithoutTheShellsTrailingNewline() {
        Shell.Run run = gpt2WithStdin("Every effort moves you\n", "tokenize");
        assertThat(run.out().strip()).isEqualTo("[6109, 3626, 6100, 345]");
        Shell.Run dash = gpt2WithStdin("Every effort moves you\n", "tokenize", "-");
        assertThat(dash.out()).isEqualTo(run.out());
    }

    @Test
    void refusedSpecialTokenNamesTheCliFlagAndValuesAreCaseInsensitive() {
        Shell.Run run = gpt2("tokenize", "--special", "refuse", "hi<|endoftext|>");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--special refuse").contains("--special encode_as_text").doesNotContain("SpecialTokens.");
        Shell.Run text = gpt2("tokenize", "--special", "Encode_As_Text", "<|endoftext|>");
        assertThat(text.exit()).isZero();
        assertThat(text.out().strip()).isEqualTo("[27, 91, 437, 1659, 5239, 91, 29]");
    }

    @Test
    void tokenizeRefusesAnIdOutsideTheVocabularyNamingIt() {
        Shell.Run run = gpt2("tokenize", "--ids", "15496,50257");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--ids: 50257 is outside the vocabulary of 50257");
    }

    // verify: why a golden file could not be used is on the console, not only in kit-report.md

    @Test
    void verifySaysWhyAGoldenFileCannotBeLoaded() throws Exception {
        Path notJson = dir.resolve("broken.golden.json");
        Files.writeString(notJson, "{ this is not json");
        Path unknown = dir.resolve("unknown.golden.json");
        Files.writeString(unknown, "{\"format\": \"gpt2-something/9\"}");
        Shell.Run run = gpt2("verify", "--golden", notJson.toString(), "--golden", unknown.toString(),
                "--report-dir", dir.resolve("reports").toString(), "--device", "cpu");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("FAILED .*: .*broken.golden.json: not valid JSON")
                .containsPattern("FAILED .*: .*unknown format \"gpt2-something/9\"");
        Shell.Run missing = gpt2("verify", "--golden", dir.resolve("nope.json").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("gpt2 verify: error: --golden " + dir.resolve("nope.json") + ": not found");
    }

    // download

    @Test
    void downloadTakesOpenAisOldNamesAndLeavesNoEmptyFolderWhenItFails() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            Path models = dir.resolve("models");
            Shell.Run run = gpt2("download", "117M", "--dir", models.toString(),
                    "--base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("124M/").contains("404");
            assertThat(models).doesNotExist();
        } finally {
            server.stop(0);
        }
    }

    // inspect --json

    @Test
    void inspectJsonListsTheReal117MIndex() throws Exception {
        Path index = dir.resolve("model.ckpt.index");
        Files.write(index, GoldenData.read(GoldenData.REAL_INDEX));
        Shell.Run run = gpt2("inspect", "--json", index.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("count").asInt()).isEqualTo(148);
        assertThat(json.get("bytes").asLong()).isEqualTo(497_759_232L);
        JsonNode first = json.get("tensors").get(0);
        assertThat(first.get("name").asText()).isNotBlank();
        assertThat(first.get("shape").isArray()).isTrue();
    }
}
