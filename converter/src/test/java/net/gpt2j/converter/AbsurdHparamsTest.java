package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hparams that disagree with the index fail in one short message, before anything is expanded or read. */
class AbsurdHparamsTest {

    @TempDir
    Path dir;

    private Throwable convert(SyntheticCheckpoint reader, Hparams claimed) throws Exception {
        Path encoder = Files.writeString(dir.resolve("encoder.json"), "{}");
        Path vocab = Files.writeString(dir.resolve("vocab.bpe"), "");
        return org.assertj.core.api.Assertions.catchThrowable(() -> new Converter(ConversionListener.SILENT)
                .convert(ConversionInput.of(reader, claimed, encoder, vocab), dir.resolve("out"), false));
    }

    @Test
    void twoThousandLayersAgainstAOneLayerCheckpointIsOneLine() throws Exception {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(1, new Hparams(16, 8, 8, 2, 1));
        Throwable t = convert(reader, new Hparams(16, 8, 8, 2, 2000));
        assertThat(t).isInstanceOf(ConversionException.class)
                .hasMessageContaining("layers h0..h0 (1) but hparams say n_layer = 2000");
        assertThat(t.getMessage().lines()).hasSize(1);
        assertThat(reader.reads).isZero();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aBillionLayersClaimedIsRefusedWithoutExpandingThem() throws Exception {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(1, new Hparams(16, 8, 8, 2, 2));
        Throwable t = convert(reader, new Hparams(16, 8, 8, 2, 1_000_000_000));
        assertThat(t).hasMessageContaining("n_layer = 1000000000");
        assertThat(reader.reads).isZero();
    }

    @Test
    void extraLayersNameTheFirstTensorTheHparamsDoNotHave() throws Exception {
        SyntheticCheckpoint reader = new SyntheticCheckpoint(1, new Hparams(16, 8, 8, 2, 3));
        assertThat(convert(reader, new Hparams(16, 8, 8, 2, 2)))
                .hasMessageContaining("model/h2/").hasMessageContaining("a layer the hparams do not have");
    }

    @Test
    void everyTensorWrongIsReportedAsTheFirstFewAndACount() throws Exception {
        Hparams h = new Hparams(16, 8, 8, 2, 4);
        SyntheticCheckpoint reader = new SyntheticCheckpoint(1, h);
        for (TensorEntry e : reader.tensors()) {
            reader.alter(e.name(), x -> new TensorEntry(x.name(), "DT_HALF", x.shape(), x.shardId(), x.offset(), x.size() / 2, 0));
        }
        Throwable t = convert(reader, h);
        int problems = reader.tensors().size();
        assertThat(t).hasMessageContaining(problems + " problem(s)")
                .hasMessageEndingWith("... and " + (problems - Problems.SHOWN) + " more");
        assertThat(t.getMessage().lines()).hasSize(Problems.SHOWN + 2);
    }
}
