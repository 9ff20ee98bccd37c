package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import net.gpt2j.converter.checkpoint.JavaCheckpointReader;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.converter.source.SourceFile;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.format.Hparams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the conversion's second and third threads must not break: a tensor failing on either
 * tensor thread still fails the conversion naming it and leaves nothing behind; the source hashing
 * is interrupted and waited for when the conversion fails; and when it outlasts the tensors, the
 * listener is told it is hashing (a phase announced while it was silenced is replayed, not lost).
 */
class ParallelConversionTest {

    static final Hparams TINY = new Hparams(50257, 64, 64, 4, 2);
    private static final String SHARD = "model.ckpt.data-00000-of-00001";

    @TempDir
    static Path shared;
    static Path fixture;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeFixture() throws IOException {
        fixture = shared.resolve("tiny");
        new FixtureWriter().write(1, TINY, fixture);
    }

    private Path damagedCopy(String tensor) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("damaged"));
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        TensorEntry victim;
        try (JavaCheckpointReader r = JavaCheckpointReader.open(copy)) {
            victim = r.tensors().stream().filter(e -> e.name().equals(tensor)).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve(SHARD).toFile(), "rw")) {
            f.seek(victim.offset() + victim.size() / 2);
            int b = f.read();
            f.seek(victim.offset() + victim.size() / 2);
            f.write(b ^ 0xff);
        }
        return copy;
    }

    @Test
    void aCorruptTensorFailsTheConversionNamingItWhicheverThreadReadItAndLeavesNothingBehind() throws Exception {
        // one early in the file (the first thread takes it) and one the second thread is likely to hold
        for (String tensor : List.of("model/h0/attn/c_attn/b", "model/h1/mlp/c_fc/w", "model/wte")) {
            Path src = damagedCopy(tensor);
            Path outParent = Files.createDirectories(dir.resolve("out"));
            assertThatThrownBy(() -> new Converter(ConversionListener.SILENT)
                    .convert(src, outParent.resolve("model"), false))
                    .as(tensor).hasMessageContaining(tensor).hasMessageContaining("crc32c");
            try (Stream<Path> left = Files.list(outParent)) {
                assertThat(left).as("no output, partial or scratch folder after " + tensor).isEmpty();
            }
            OutputFolder.deleteRecursively(src);
        }
    }

    private ConversionInput input(JavaCheckpointReader reader, ConversionInput.Fingerprints fingerprints) throws IOException {
        Path tok = Files.createDirectories(dir.resolve("tok"));
        Path encoder = Files.write(tok.resolve("encoder.json"), GoldenData.read(GoldenData.ENCODER_JSON));
        Path vocab = Files.write(tok.resolve("vocab.bpe"), GoldenData.read(GoldenData.VOCAB_BPE));
        return new ConversionInput(reader, TINY, encoder, vocab, fingerprints);
    }

    @Test
    void aFailedConversionInterruptsTheHashingAndWaitsForItsEnd() throws Exception {
        CountDownLatch hashingStarted = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        ConversionInput.Fingerprints slow = l -> {
            hashingStarted.countDown();
            try {
                Thread.sleep(60_000);
                return List.of();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw new IOException("interrupted", e);
            } finally {
                ended.set(true);
            }
        };
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(damagedCopy("model/h1/ln_2/g"))) {
            ConversionInput in = input(reader, slow);
            long start = System.nanoTime();
            assertThatThrownBy(() -> new Converter(ConversionListener.SILENT).convert(in, dir.resolve("model"), false))
                    .hasMessageContaining("model/h1/ln_2/g");
            assertThat(hashingStarted.await(0, TimeUnit.SECONDS)).as("the hashing had started").isTrue();
            assertThat(interrupted).as("the hashing was interrupted").isTrue();
            assertThat(ended).as("and had ended when convert returned").isTrue();
            assertThat(System.nanoTime() - start).as("no waiting for the 60 s hashing").isLessThan(TimeUnit.SECONDS.toNanos(30));
        }
        assertThat(dir.resolve("model")).doesNotExist();
    }

    @Test
    void hashingThatOutlastsTheTensorsIsAnnouncedAsAPhase() throws Exception {
        CountDownLatch announced = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Thread> calledFrom = Collections.synchronizedList(new ArrayList<>());
        ConversionListener listener = new ConversionListener() {
            @Override
            public void phase(String description, long totalBytes) {
                if (description.equals("hashing source files")) {
                    events.add("phase " + description + " " + totalBytes);
                    announced.countDown();
                } else {
                    calledFrom.add(Thread.currentThread());
                    events.add("phase " + description);
                }
            }

            @Override
            public void progress(long bytesDone, String item) {
                if (item.equals("sources")) {
                    events.add("progress " + bytesDone + " " + item);
                } else {
                    calledFrom.add(Thread.currentThread());
                }
            }
        };
        List<SourceFile> files = List.of(new SourceFile("model.ckpt.data-00000-of-00001", 3, "ab"));
        ConversionInput.Fingerprints waitsForItsPhase = l -> {
            l.phase("hashing source files", 100);
            l.progress(40, "sources");
            // only returns once the converter has shown the phase: proves it is replayed, not lost
            try {
                if (!announced.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the hashing phase was never announced");
                }
            } catch (InterruptedException e) {
                throw new IOException("interrupted", e);
            }
            l.progress(100, "sources");
            return files;
        };
        try (JavaCheckpointReader reader = JavaCheckpointReader.open(fixture)) {
            new Converter(listener).convert(input(reader, waitsForItsPhase), dir.resolve("model"), false);
        }
        assertThat(events).containsSubsequence("phase converting tensors", "phase hashing source files 100",
                "progress 40 sources", "progress 100 sources").doesNotHaveDuplicates();
        assertThat(calledFrom).as("the tensors' progress reaches the listener from the caller's thread only, not the tensor worker's")
                .containsOnly(caller);
        String manifest = Files.readString(dir.resolve("model").resolve(Converter.MANIFEST));
        assertThat(manifest).contains("\"model.ckpt.data-00000-of-00001\"").contains("\"ab\"");
    }
}
