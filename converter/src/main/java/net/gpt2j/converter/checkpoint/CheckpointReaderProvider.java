package net.gpt2j.converter.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * A checkpoint reader that lives outside the converter, found with {@link ServiceLoader}: TensorFlow's
 * own reader is in the {@code tf} module, so that the converter (and everything that depends on it)
 * carries no TensorFlow unless that module is on the classpath.
 */
public interface CheckpointReaderProvider {

    /** Which kind this provider opens. */
    ReaderKind kind();

    /** Opens the checkpoint whose files are {@code prefix.index} and {@code prefix.data-*} on disk. */
    CheckpointReader openPrefix(Path prefix) throws IOException;

    /** The provider of {@code kind} on the classpath, or a one-line error naming the missing module. */
    static CheckpointReaderProvider of(ReaderKind kind) throws CheckpointException {
        for (CheckpointReaderProvider p : ServiceLoader.load(CheckpointReaderProvider.class)) {
            if (p.kind() == kind) {
                return p;
            }
        }
        throw new CheckpointException("the " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + " checkpoint reader is not on the classpath (it lives in the gpt2j-tf module)");
    }
}
