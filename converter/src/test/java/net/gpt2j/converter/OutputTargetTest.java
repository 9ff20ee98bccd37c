package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.gpt2j.format.Hparams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --out} can never name a folder whose loss the user did not ask for. */
class OutputTargetTest {

    @TempDir
    Path parent;
    Path src;
    Path notes;

    @BeforeEach
    void folders() throws Exception {
        src = Files.createDirectories(parent.resolve("src"));
        Files.writeString(src.resolve("hparams.json"), "{}");
        notes = Files.writeString(parent.resolve("notes.txt"), "mine");
    }

    private void convert(Path source, Path out, boolean force) throws Exception {
        new Converter(ConversionListener.SILENT).convert(source, out, force);
    }

    @Test
    void anOutputHoldingTheSourceIsRefusedAndNothingIsDeleted() {
        assertThatThrownBy(() -> convert(src, parent, true)).isInstanceOf(ConversionException.class)
                .hasMessageContaining("holds the checkpoint " + src);
        assertThat(notes).hasContent("mine");
        assertThat(src.resolve("hparams.json")).exists();
    }

    @Test
    void theSourceItselfOrAFolderInsideItIsRefused() {
        assertThatThrownBy(() -> convert(src, src, true)).hasMessageContaining("is the checkpoint");
        assertThatThrownBy(() -> convert(src, src.resolve("out"), false)).hasMessageContaining("lies inside the checkpoint");
        assertThatThrownBy(() -> convert(src, parent.resolve("x/../src"), true)).hasMessageContaining("is the checkpoint");
        assertThat(src.resolve("hparams.json")).exists();
    }

    @Test
    void aLinkToTheSourceIsSeenThrough() throws Exception {
        Path link = Files.createSymbolicLink(parent.resolve("link"), src);
        assertThatThrownBy(() -> convert(link, src, true)).hasMessageContaining("is the checkpoint");
    }

    @Test
    void theWorkingDirectoryRootAndHomeAreRefused() {
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(Path.of("."), true)).hasMessageContaining("working directory");
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(Path.of(""), true)).hasMessageContaining("empty path");
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(Path.of("/"), true)).hasMessageContaining("filesystem root");
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(Path.of(System.getProperty("user.home")), true))
                .hasMessageContaining("home folder");
    }

    @Test
    void aMountPointIsRefused() {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux's /proc mount");
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(proc, true)).hasMessageContaining("mount point");
    }

    @Test
    void forceReplacesOnlyAConvertedOrAnEmptyFolder() throws Exception {
        Path foreign = Files.createDirectories(parent.resolve("photos"));
        Files.writeString(foreign.resolve("cat.jpg"), "meow");
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(foreign, true)).isInstanceOf(ConversionException.class)
                .hasMessageContaining(foreign.toString()).hasMessageContaining("was not written by gpt2 convert");
        Files.writeString(foreign.resolve("manifest.json"), "{\"converter\": \"someone-else\"}");
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(foreign, true)).hasMessageContaining("not written by");
        assertThat(foreign.resolve("cat.jpg")).hasContent("meow");

        OutputTarget.checkReplaceable(Files.createDirectories(parent.resolve("empty")), true);
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(parent.resolve("empty"), false)).hasMessageContaining("--force");
    }

    @Test
    void aFolderThisToolConvertedCanBeReplacedWithForce() throws Exception {
        ConversionInput input = smallInput();
        Path out = parent.resolve("converted");
        Converter c = new Converter(ConversionListener.SILENT);
        c.convert(input, out, false);
        assertThat(OutputTarget.writtenByUs(out)).isTrue();
        c.convert(input, out, true);
        assertThat(out.resolve(Converter.MANIFEST)).exists();
        try (var s = Files.list(parent)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("src", "notes.txt", "encoder.json", "vocab.bpe", "converted");
        }
    }

    @Test
    void forceKeepsAConvertedFolderThatHoldsFilesItDidNotWrite() throws Exception {
        ConversionInput input = smallInput();
        Path out = parent.resolve("converted");
        Converter c = new Converter(ConversionListener.SILENT);
        c.convert(input, out, false);
        Path userNotes = Files.writeString(out.resolve("NOTES.txt"), "my notes");
        Path score = Files.writeString(Files.createDirectories(out.resolve("my-eval")).resolve("score.txt"), "0.93");

        assertThatThrownBy(() -> c.convert(input, out, true))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("holds 'NOTES.txt' and 'my-eval/' that gpt2 convert did not write");
        assertThat(userNotes).hasContent("my notes");
        assertThat(score).hasContent("0.93");
        assertThat(OutputTarget.writtenByUs(out)).isTrue();

        // the model card edited in place is still ours: once the user's files are moved out, --force replaces it
        Files.delete(userNotes);
        Files.delete(score);
        Files.delete(score.getParent());
        Files.writeString(out.resolve(Converter.README), "edited");
        c.convert(input, out, true);
        assertThat(out.resolve(Converter.README)).content().isNotEqualTo("edited");
    }

    @Test
    void aConvertedFolderWhoseManifestNamesNoFilesHasNothingOfOursToReplace() throws Exception {
        Path out = Files.createDirectories(parent.resolve("odd"));
        Files.writeString(out.resolve(Converter.MANIFEST), "{\"converter\": \"gpt2j-converter\"}");
        Files.writeString(out.resolve("config.json"), "{}");
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(out, true)).hasMessageContaining("holds 'config.json'");
    }

    @Test
    void manyFilesAreNamedThreeAtATime() {
        assertThat(ConvertedFolderEntries.describe(List.of("a"))).isEqualTo("'a'");
        assertThat(ConvertedFolderEntries.describe(List.of("a", "b/", "c"))).isEqualTo("'a', 'b/' and 'c'");
        assertThat(ConvertedFolderEntries.describe(List.of("a", "b", "c", "d", "e"))).isEqualTo("'a', 'b', 'c' and 2 more");
    }

    /** A 16-token, one-block checkpoint with its tokenizer files written beside the sources. */
    private ConversionInput smallInput() throws Exception {
        Hparams h = new Hparams(16, 8, 8, 2, 1);
        Path encoder = Files.writeString(parent.resolve("encoder.json"), tokens(16));
        Path vocab = Files.writeString(parent.resolve("vocab.bpe"), "#version: 0.2\n");
        return ConversionInput.of(new SyntheticCheckpoint(1, h), h, encoder, vocab);
    }

    private static String tokens(int n) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < n - 1; i++) {
            json.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": ").append(i);
        }
        // the hub's tokenizer files name <|endoftext|>, so the vocabulary must hold it
        return json.append(", \"<|endoftext|>\": ").append(n - 1).append("}").toString();
    }

    @Test
    void aLinkAsOutputIsRefused() throws Exception {
        Path target = Files.createDirectories(parent.resolve("real"));
        Path link = Files.createSymbolicLink(parent.resolve("out-link"), target);
        assertThatThrownBy(() -> OutputTarget.checkReplaceable(link, true)).hasMessageContaining("symbolic link");
        assertThat(List.of(target)).allSatisfy(p -> assertThat(p).isDirectory());
    }
}
