package net.gpt2j.tf;

import java.io.IOException;
import net.gpt2j.converter.WorkFolders;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.gpt2j.converter.FileTrees;
import net.gpt2j.converter.checkpoint.BundleIndex;
import net.gpt2j.converter.checkpoint.CheckpointFiles;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.format.Hparams;
import net.gpt2j.golden.SyntheticWeights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Save;
import org.tensorflow.types.TFloat32;

/**
 * Writes a synthetic GPT-2 checkpoint folder laid out like OpenAI's release (FIXTURES.md): the
 * {@code checkpoint} state file, {@code model.ckpt.index}, {@code model.ckpt.data-00000-of-00001},
 * {@code hparams.json}, and the real {@code encoder.json} and {@code vocab.bpe}. Values come from
 * {@link SyntheticWeights}; tensor bytes are written by TensorFlow's own SaveV2 kernel.
 *
 * <p>Memory stays bounded for any shape: the variables are saved by SaveV2 in groups of at most
 * {@code maxBytesPerSave} bytes (a larger single tensor is a group of its own). When everything fits
 * one group (the tiny and 124M shapes by default) the output is exactly SaveV2's. Otherwise each
 * group is saved to a temporary bundle, the groups' data files are concatenated into the one shard
 * (TF's bytes, copied) and the index is rebuilt with every offset shifted by its group's base; the
 * index encoder writes what TF's BundleWriter writes, which a test checks byte for byte. (TF's
 * MergeV2Checkpoints cannot be used for this: it keeps one data file per input, giving N shards,
 * while OpenAI's checkpoints have a single shard even for the 6.2 GB 1558M model.)
 *
 * <p>Everything is written into a temporary folder beside {@code outDir} and renamed at the end, so
 * a failure leaves no partial output.
 */
public final class FixtureWriter {

    /** Default bound on the tensor bytes one SaveV2 call holds. */
    public static final long DEFAULT_MAX_BYTES_PER_SAVE = 512L << 20;

    private static final String PREFIX_NAME = "model.ckpt";
    private static final int FILL_CHUNK = 1 << 20;

    private final long maxBytesPerSave;

    public FixtureWriter() {
        this(DEFAULT_MAX_BYTES_PER_SAVE);
    }

    /** A writer that holds at most {@code maxBytesPerSave} tensor bytes per SaveV2 call (tests use it to force groups). */
    public FixtureWriter(long maxBytesPerSave) {
        if (maxBytesPerSave <= 0) {
            throw new IllegalArgumentException("maxBytesPerSave must be positive, got " + maxBytesPerSave);
        }
        this.maxBytesPerSave = maxBytesPerSave;
    }

    /**
     * Writes the fixture for {@code seed} and {@code hp} into {@code outDir}, which must not exist yet
     * (or be an empty folder).
     */
    public void write(long seed, Hparams hp, Path outDir) throws IOException {
        Path target = outDir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new IOException("fixture output folder " + target + " already exists and is not empty");
        }
        // a plain mkdir (the umask's permissions), marked and removed on SIGINT/SIGTERM or by the next run
        Path temp = WorkFolders.create(target.getParent(), target.getFileName() + ".partial-");
        try {
            SyntheticWeights weights = new SyntheticWeights(seed, hp);
            writeCheckpoint(weights, temp);
            Files.writeString(temp.resolve(CheckpointFiles.STATE_FILE),
                    "model_checkpoint_path: \"" + PREFIX_NAME + "\"\nall_model_checkpoint_paths: \"" + PREFIX_NAME + "\"\n",
                    StandardCharsets.UTF_8);
            Files.writeString(temp.resolve("hparams.json"), hparamsJson(hp), StandardCharsets.UTF_8);
            Files.write(temp.resolve("encoder.json"), GoldenData.read(GoldenData.ENCODER_JSON));
            Files.write(temp.resolve("vocab.bpe"), GoldenData.read(GoldenData.VOCAB_BPE));
            if (Files.exists(target)) {
                Files.delete(target); // the empty folder the caller may have created
            }
            synchronized (WorkFolders.LOCK) {
                WorkFolders.removeMarker(temp);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                WorkFolders.release(temp);
            }
        } catch (IOException | RuntimeException | Error e) {
            WorkFolders.delete(temp);
            throw e;
        }
    }

    /** OpenAI's hparams.json layout, keys in their order. */
    static String hparamsJson(Hparams hp) {
        return "{\n  \"n_vocab\": " + hp.nVocab() + ",\n  \"n_ctx\": " + hp.nCtx() + ",\n  \"n_embd\": " + hp.nEmbd()
                + ",\n  \"n_head\": " + hp.nHead() + ",\n  \"n_layer\": " + hp.nLayer() + "\n}";
    }

    private void writeCheckpoint(SyntheticWeights weights, Path folder) throws IOException {
        List<List<SyntheticWeights.Variable>> groups = groups(weights.variables());
        Path prefix = folder.resolve(PREFIX_NAME);
        if (groups.size() == 1) {
            save(weights, groups.get(0), prefix);
            return;
        }
        Path parts = Files.createDirectory(folder.resolve("parts"));
        List<Path> partPrefixes = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Path partPrefix = parts.resolve("part-" + g);
            save(weights, groups.get(g), partPrefix);
            partPrefixes.add(partPrefix);
        }
        concatenate(partPrefixes, prefix);
        deleteTree(parts);
    }

    /** Variables in index (byte) order, cut into consecutive groups of bounded size. */
    private List<List<SyntheticWeights.Variable>> groups(List<SyntheticWeights.Variable> variables) {
        List<SyntheticWeights.Variable> sorted = new ArrayList<>(variables);
        sorted.sort(Comparator.comparing(SyntheticWeights.Variable::name, FixtureWriter::compareUtf8));
        List<List<SyntheticWeights.Variable>> groups = new ArrayList<>();
        List<SyntheticWeights.Variable> current = new ArrayList<>();
        long bytes = 0;
        for (SyntheticWeights.Variable v : sorted) {
            long size = v.elementCount() * Float.BYTES;
            if (!current.isEmpty() && bytes + size > maxBytesPerSave) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(v);
            bytes += size;
        }
        groups.add(current);
        return groups;
    }

    /** One SaveV2 run: the group's tensors fed through placeholders, so the graph holds no copies. */
    private static void save(SyntheticWeights weights, List<SyntheticWeights.Variable> group, Path prefix) {
        List<TFloat32> tensors = new ArrayList<>();
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            String[] names = new String[group.size()];
            String[] slices = new String[group.size()];
            List<Operand<?>> inputs = new ArrayList<>();
            List<Placeholder<TFloat32>> placeholders = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                SyntheticWeights.Variable v = group.get(i);
                names[i] = v.name();
                slices[i] = ""; // the whole tensor, not a slice
                Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(v.shape())));
                placeholders.add(p);
                inputs.add(p);
            }
            Save saveOp = tf.train.save(tf.constant(prefix.toString()), tf.constant(StandardCharsets.UTF_8, names),
                    tf.constant(StandardCharsets.UTF_8, slices), inputs);
            Session.Runner runner = session.runner().addTarget(saveOp);
            for (int i = 0; i < group.size(); i++) {
                TFloat32 t = filledTensor(weights, group.get(i));
                tensors.add(t);
                runner.feed(placeholders.get(i), t);
            }
            runner.run().close();
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    private static TFloat32 filledTensor(SyntheticWeights weights, SyntheticWeights.Variable v) {
        TFloat32 tensor = TFloat32.tensorOf(Shape.of(v.shape()));
        try {
            FloatDataBuffer data = tensor.asRawTensor().data().asFloats();
            long n = v.elementCount();
            float[] chunk = new float[(int) Math.min(FILL_CHUNK, n)];
            for (long first = 0; first < n; first += chunk.length) {
                int count = (int) Math.min(chunk.length, n - first);
                weights.fill(v.name(), first, chunk, 0, count);
                data.offset(first).write(chunk, 0, count);
            }
            return tensor;
        } catch (RuntimeException e) {
            tensor.close();
            throw e;
        }
    }

    /** Joins single-shard bundles (consecutive in key order) into one single-shard bundle at {@code prefix}. */
    private static void concatenate(List<Path> partPrefixes, Path prefix) throws IOException {
        List<TensorEntry> entries = new ArrayList<>();
        BundleIndex first = null;
        Path dataFile = CheckpointFiles.shardFile(prefix, 0, 1);
        try (FileChannel out = FileChannel.open(dataFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (Path part : partPrefixes) {
                Path indexFile = CheckpointFiles.indexFile(part);
                BundleIndex index = BundleIndex.parse(Files.readAllBytes(indexFile), indexFile.toString());
                if (index.header().numShards() != 1) {
                    throw new IOException("SaveV2 wrote " + index.header().numShards() + " shards for " + part + ", expected 1");
                }
                first = first == null ? index : first;
                long base = out.size();
                for (TensorEntry e : index.entries()) {
                    entries.add(new TensorEntry(e.name(), e.dtype(), e.shape(), 0, base + e.offset(), e.size(), e.crc32c()));
                }
                Path partData = CheckpointFiles.shardFile(part, 0, 1);
                try (FileChannel in = FileChannel.open(partData, StandardOpenOption.READ)) {
                    long size = in.size();
                    for (long done = 0; done < size; ) {
                        done += in.transferTo(done, size - done, out);
                    }
                }
                // copied: drop it now so the disk holds the model about once, not twice
                Files.delete(partData);
            }
        }
        entries.sort(Comparator.comparing(TensorEntry::name, FixtureWriter::compareUtf8));
        Files.write(CheckpointFiles.indexFile(prefix), new BundleIndex(first.header(), entries).encode());
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) {
        try {
            FileTrees.deleteRecursively(root);
        } catch (IOException e) {
            // best effort: the caller is already reporting the failure that brought us here
        }
    }
}
