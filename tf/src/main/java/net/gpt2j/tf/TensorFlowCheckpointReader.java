package net.gpt2j.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariable;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariableDataType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariableNumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariableShape;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteCheckpointReader;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewCheckpointReader;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorByteSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;

import net.gpt2j.converter.checkpoint.CheckpointException;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.converter.checkpoint.TfDataType;
import net.gpt2j.converter.checkpoint.CheckpointFiles;
import net.gpt2j.converter.checkpoint.JavaCheckpointReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_CheckpointReader;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * A {@link CheckpointReader} backed by TensorFlow's own C checkpoint reader
 * ({@code TF_NewCheckpointReader}, i.e. {@code tensorflow::checkpoint::CheckpointReader} over
 * {@code BundleReader}), reached through TensorFlow Java 1.1.0's bindings. It shares no parsing code
 * with {@link JavaCheckpointReader}, which is what makes it useful for cross-checking.
 *
 * <p>Names, dtypes and shapes come from TF's listing (sorted by name, as the index is). TF's C API
 * does not expose where a tensor is stored, so every {@link TensorEntry} has {@code shardId} and
 * {@code offset} -1 and {@code crc32c} 0; {@code size} is elements times the dtype's width. TF itself
 * verifies each tensor's crc32c when reading it (BundleReader::GetValue).
 *
 * <p>Each {@link #read} copies the tensor out of TF's buffer into a heap buffer and frees TF's copy,
 * so memory stays bounded by one tensor at a time.
 */
public final class TensorFlowCheckpointReader implements CheckpointReader {

    private final Path prefix;
    private TF_CheckpointReader reader;
    private final List<TensorEntry> entries;

    private TensorFlowCheckpointReader(Path prefix, TF_CheckpointReader reader, List<TensorEntry> entries) {
        this.prefix = prefix;
        this.reader = reader;
        this.entries = entries;
    }

    /** Opens the checkpoint in {@code folder} (its {@code checkpoint} state file names the prefix). */
    public static TensorFlowCheckpointReader open(Path folder) throws IOException {
        Path prefix = CheckpointFiles.prefix(folder);
        Path indexFile = CheckpointFiles.indexFile(prefix);
        if (!Files.isRegularFile(indexFile)) {
            throw new CheckpointException("missing checkpoint index " + indexFile);
        }
        return openPrefix(prefix);
    }

    /** Opens the checkpoint with this prefix (e.g. {@code folder/model.ckpt}). */
    public static TensorFlowCheckpointReader openPrefix(Path prefix) throws IOException {
        // TF aborts the whole JVM (SIGABRT) on some corrupt indexes, e.g. a shape whose element count
        // overflows: the Java parser validates the index and the shard lengths first and refuses in one line
        try (JavaCheckpointReader validated = JavaCheckpointReader.openPrefix(prefix)) {
            validated.tensors();
        }
        TensorFlow.version(); // loads the native library
        TF_Status status = TF_NewStatus();
        try {
            TF_CheckpointReader reader = TF_NewCheckpointReader(prefix.toString(), status);
            check(status, "TensorFlow cannot open checkpoint " + prefix);
            try {
                return new TensorFlowCheckpointReader(prefix, reader, list(reader, prefix, status));
            } catch (IOException | RuntimeException e) {
                TF_DeleteCheckpointReader(reader);
                throw e;
            }
        } finally {
            TF_DeleteStatus(status);
        }
    }

    @Override
    public List<TensorEntry> tensors() {
        return entries;
    }

    @Override
    public ByteBuffer read(TensorEntry entry) throws IOException {
        if (reader == null) {
            throw new IllegalStateException("TensorFlow checkpoint reader of " + prefix + " is closed");
        }
        TF_Status status = TF_NewStatus();
        try {
            TF_Tensor tensor = TF_CheckpointReaderGetTensor(reader, entry.name(), status);
            check(status, "TensorFlow cannot read tensor " + entry.name() + " of checkpoint " + prefix);
            try {
                long n = TF_TensorByteSize(tensor);
                if (n != entry.size()) {
                    throw new CheckpointException("TensorFlow returned " + n + " bytes for tensor " + entry.name()
                            + ", expected " + entry.size());
                }
                ByteBuffer copy = ByteBuffer.allocate(Math.toIntExact(n));
                if (n > 0) {
                    copy.put(new BytePointer(TF_TensorData(tensor)).capacity(n).asByteBuffer());
                }
                return copy.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            } finally {
                TF_DeleteTensor(tensor);
            }
        } finally {
            TF_DeleteStatus(status);
        }
    }

    @Override
    public void close() {
        if (reader != null) {
            TF_DeleteCheckpointReader(reader);
            reader = null;
        }
    }

    private static List<TensorEntry> list(TF_CheckpointReader reader, Path prefix, TF_Status status)
            throws CheckpointException {
        int count = TF_CheckpointReaderSize(reader);
        List<TensorEntry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = TF_CheckpointReaderGetVariable(reader, i).getString();
            int dtypeNumber = TF_CheckpointReaderGetVariableDataType(reader, name);
            TfDataType type = TfDataType.ofNumber(dtypeNumber);
            if (type == null) {
                throw new CheckpointException("TensorFlow reports unknown dtype " + dtypeNumber + " for tensor "
                        + name + " of checkpoint " + prefix);
            }
            long[] shape = new long[TF_CheckpointReaderGetVariableNumDims(reader, name)];
            TF_CheckpointReaderGetVariableShape(reader, name, shape, shape.length, status);
            check(status, "TensorFlow cannot give the shape of tensor " + name + " of checkpoint " + prefix);
            long elements = 1;
            for (long d : shape) {
                elements *= d;
            }
            out.add(new TensorEntry(name, type.name(), shape, -1, -1, elements * type.elementSize, 0));
        }
        // TF lists from a hash map; the index (and the CheckpointReader contract) is sorted by name bytes.
        out.sort(Comparator.comparing(TensorEntry::name, (a, b) -> java.util.Arrays.compareUnsigned(
                a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        return List.copyOf(out);
    }

    private static void check(TF_Status status, String what) throws CheckpointException {
        if (TF_GetCode(status) != TF_OK) {
            throw new CheckpointException(what + ": " + TF_Message(status).getString());
        }
    }
}
