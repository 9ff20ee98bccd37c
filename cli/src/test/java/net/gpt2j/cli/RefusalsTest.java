package net.gpt2j.cli;

import static net.gpt2j.cli.CommandLineTest.gpt2;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import net.gpt2j.cli.CommandLineTest.Run;
import net.gpt2j.golden.GoldenData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9's classes as a user meets them: one line, non-zero exit, no partial output, nothing damaged. */
class RefusalsTest {

    @TempDir
    static Path dir;
    static Path fixture;

    @BeforeAll
    static void fixture() {
        fixture = dir.resolve("parent").resolve("src");
        Run run = gpt2("fixture", "--seed", "1", "--n-layer", "1", "--n-embd", "8", "--n-head", "2", "--n-ctx", "8",
                "--out", fixture.toString());
        assertThat(run.exit()).as(run.err()).isZero();
    }

    private static Path copyOfFixture(String name) throws Exception {
        return TestFolders.copyOf(fixture, dir.resolve(name));
    }

    private static String permissions(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void convertForceOntoTheSourcesParentIsRefusedAndDeletesNothing() throws Exception {
        Path parent = fixture.getParent();
        Path notes = Files.writeString(parent.resolve("notes.txt"), "mine");
        Run run = gpt2("convert", fixture.toString(), "--out", parent.toString(), "--force");
        assertThat(run.exit()).isNotZero();
        assertThat(run.err().strip()).doesNotContain("\n").contains("holds the checkpoint");
        assertThat(notes).hasContent("mine");
        assertThat(fixture.resolve("hparams.json")).exists();
    }

    @Test
    void anEmptyVocabFailsConvertInOneLineLeavingNothingBehind() throws Exception {
        Path src = copyOfFixture("broken-vocab");
        Files.write(src.resolve("vocab.bpe"), new byte[0]);
        Path out = dir.resolve("broken-out");
        Run run = gpt2("convert", src.toString(), "--out", out.toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("vocab file " + src.resolve("vocab.bpe")).contains("no merges");
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".partial-") || n.contains(".unpacked-"));
        }
    }

    /** A fixture smaller than the tokenizer it ships would be a checkpoint convert refuses: refused before it is written. */
    @Test
    void aFixtureVocabularySmallerThanGpt2sTokenizerIsRefused() {
        Path out = dir.resolve("v10");
        Run run = gpt2("fixture", "--seed", "1", "--n-vocab", "10", "--out", out.toString());
        assertThat(run.exit()).isEqualTo(Gpt2.USAGE);
        assertThat(run.err().strip()).isEqualTo("gpt2 fixture: error: --n-vocab must be at least 50257, the size of GPT-2's"
                + " tokenizer the fixture ships, got 10 (try 'gpt2 fixture --help')");
        assertThat(out).doesNotExist();
    }

    /** Each refusal names what is wrong with the path as the user gave it, not a temporary name or the wrong cause. */
    @Test
    void aPathOfTheWrongKindIsNamedForWhatItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "data");
        assertThat(error("convert", fixture.toString(), "--out", file.toString()))
                .isEqualTo("gpt2 convert: error: output " + file + " exists and is not a folder; choose another --out");
        assertThat(error("convert", fixture.toString(), "--out", file.resolve("x").toString()))
                .isEqualTo("gpt2 convert: error: output folder " + file.resolve("x") + " cannot be created: " + file
                        + " is a file, not a folder");
        assertThat(error("convert", fixture.toString(), "--out", ""))
                .isEqualTo("gpt2 convert: error: output folder is an empty path; name the folder to write (--out)");
        assertThat(error("generate", "--model", "/dev/null", "--prompt", "x"))
                .contains("/dev/null is neither a folder nor a regular file");
        assertThat(error("generate", "--model", fixture.toString(), "--cache-dir", file.toString(), "--prompt", "x"))
                .isEqualTo("gpt2 generate: error: the cache folder " + file + " (--cache-dir, else $GPT2J_CACHE) exists and is"
                        + " not a folder");
        Path weightsOnly = Files.createDirectories(dir.resolve("weights-only"));
        Files.write(weightsOnly.resolve("model.safetensors"), new byte[8]);
        assertThat(error("generate", "--model", weightsOnly.toString(), "--prompt", "x"))
                .contains("holds a hub model's weights but no config.json");
        assertThat(error("tokenize", "--model", file.toString(), "Hello")).contains("--model " + file + " is not a folder");
        assertThat(file).hasContent("data");
    }

    private static String error(String... args) {
        Run run = gpt2(args);
        assertThat(run.exit()).as(run.err()).isNotZero();
        assertThat(run.err().strip()).as("one line").doesNotContain("\n");
        return run.err().strip();
    }

    @Test
    void convertedAndFixtureFoldersHaveTheUmasksPermissions() throws Exception {
        Path plain = Files.createDirectory(dir.resolve("plain-mkdir"));
        Path out = dir.resolve("converted");
        Run run = gpt2("convert", fixture.toString(), "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(permissions(out)).isEqualTo(permissions(plain));
        assertThat(permissions(fixture)).isEqualTo(permissions(plain));
    }

    @Test
    void inspectListsAReleaseFolderWithoutItsShardAndSaysTheShardIsAbsent() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("117M-index-only"));
        for (String f : new String[] {"checkpoint", "hparams.json", "model.ckpt.index", "encoder.json", "vocab.bpe"}) {
            Files.write(folder.resolve(f), GoldenData.read("openai-gpt2-117M/" + f));
        }
        Run run = gpt2("inspect", folder.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("148 tensors").contains("model/h11/mlp/c_proj/w")
                .contains("data shard(s) absent: [model.ckpt.data-00000-of-00001]");
    }
}
