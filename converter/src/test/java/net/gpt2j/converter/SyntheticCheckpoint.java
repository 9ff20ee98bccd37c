package net.gpt2j.converter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import net.gpt2j.converter.checkpoint.CheckpointException;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;

/**
 * A test double of the checkpoint READER (not of the converter): serves SyntheticWeights values as
 * a checkpoint would, computed on demand, and can be told to fail, to hold extra variables, or to
 * alter an index entry. It counts reads so tests can prove no data was read before validation.
 */
final class SyntheticCheckpoint implements CheckpointReader {

    final SyntheticWeights weights;
    private final List<TensorEntry> entries = new ArrayList<>();
    private int failOnRead = -1;
    int reads;
    final List<String> readOrder = new ArrayList<>();

    SyntheticCheckpoint(long seed, Hparams hparams) {
        this.weights = new SyntheticWeights(seed, hparams);
        long offset = 0;
        for (SyntheticWeights.Variable v : weights.variables()) {
            long size = v.elementCount() * Float.BYTES;
            entries.add(new TensorEntry(v.name(), "DT_FLOAT", v.shape(), 0, offset, size, 0));
            offset += size;
        }
        // like a real index: sorted by name, while the data order is the variables' order
        entries.sort(Comparator.comparing(TensorEntry::name));
    }

    /** Makes the {@code n}-th read (1-based) throw, as a corrupt shard would. */
    SyntheticCheckpoint failOnRead(int n) {
        this.failOnRead = n;
        return this;
    }

    /** Adds a variable that is not one of the model's (e.g. an Adam slot), filled with zeros. */
    SyntheticCheckpoint withExtra(String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        entries.add(new TensorEntry(name, "DT_FLOAT", shape, 0, -1, n * Float.BYTES, 0));
        entries.sort(Comparator.comparing(TensorEntry::name));
        return this;
    }

    SyntheticCheckpoint without(String name) {
        entries.removeIf(e -> e.name().equals(name));
        return this;
    }

    /** Replaces the index entry of {@code name} (to fake a wrong dtype or shape). */
    SyntheticCheckpoint alter(String name, UnaryOperator<TensorEntry> change) {
        entries.replaceAll(e -> e.name().equals(name) ? change.apply(e) : e);
        return this;
    }

    @Override
    public List<TensorEntry> tensors() {
        return List.copyOf(entries);
    }

    @Override
    public ByteBuffer read(TensorEntry entry) throws IOException {
        reads++;
        readOrder.add(entry.name());
        if (reads == failOnRead) {
            throw new CheckpointException("synthetic failure reading tensor " + entry.name());
        }
        float[] values = new float[(int) entry.elementCount()];
        if (entry.offset() >= 0) {
            weights.fill(entry.name(), 0, values, 0, values.length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {}
}
