package net.gpt2j.converter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.source.SourceFile;
import net.gpt2j.format.Hparams;

/**
 * What a conversion reads: the checkpoint's tensors, its hparams, the tokenizer files to copy, and
 * how to fingerprint the files they came from for manifest.json. Fingerprinting is deferred
 * because hashing a 6 GB shard takes a while: the converter starts it once the checkpoint's index
 * has passed its checks, on a second thread beside the tensor conversion, and interrupts it if the
 * conversion fails. It must therefore not touch the reader, and should answer an interrupt.
 */
public record ConversionInput(CheckpointReader reader, Hparams hparams, Path encoderJson, Path vocabBpe,
        Fingerprints sources) {

    /** Computes the source files' sizes and sha256s, reporting bytes hashed to the listener. */
    @FunctionalInterface
    public interface Fingerprints {
        List<SourceFile> compute(ConversionListener listener) throws IOException;
    }

    /** An input whose sources are not recorded (the manifest's "sources" is then empty). */
    public static ConversionInput of(CheckpointReader reader, Hparams hparams, Path encoderJson, Path vocabBpe) {
        return new ConversionInput(reader, hparams, encoderJson, vocabBpe, listener -> List.of());
    }
}
