package net.gpt2j.tf;

import java.io.IOException;
import java.nio.file.Path;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.CheckpointReaderProvider;
import net.gpt2j.converter.checkpoint.ReaderKind;

/** Offers {@link TensorFlowCheckpointReader} to the converter as {@code --reader tensorflow}. */
public final class TensorFlowReaderProvider implements CheckpointReaderProvider {

    @Override
    public ReaderKind kind() {
        return ReaderKind.TENSORFLOW;
    }

    @Override
    public CheckpointReader openPrefix(Path prefix) throws IOException {
        return TensorFlowCheckpointReader.openPrefix(prefix);
    }
}
