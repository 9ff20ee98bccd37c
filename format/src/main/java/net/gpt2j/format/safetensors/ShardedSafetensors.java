package net.gpt2j.format.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.HubFormatException;
import net.gpt2j.format.TensorSpec;

/**
 * The weights of a hub model folder, in one {@code model.safetensors} or in shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file), read as one
 * set of tensors. A folder with only {@code pytorch_model.bin} is refused: that is a Python pickle,
 * which can run code when loaded, and is never unpickled here.
 */
public final class ShardedSafetensors implements AutoCloseable {

    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    public static final String PICKLE = "pytorch_model.bin";

    private final Map<String, SafetensorsReader> readerByTensor;
    private final List<SafetensorsReader> readers;

    private ShardedSafetensors(Map<String, SafetensorsReader> readerByTensor, List<SafetensorsReader> readers) {
        this.readerByTensor = readerByTensor;
        this.readers = readers;
    }

    /** Opens the folder's safetensors weights (single file or index + shards). */
    public static ShardedSafetensors open(Path dir) throws IOException {
        Path single = dir.resolve(SINGLE);
        Path index = dir.resolve(INDEX);
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            if (Files.isRegularFile(single)) {
                SafetensorsReader r = SafetensorsReader.open(single);
                readers.add(r);
                Map<String, SafetensorsReader> by = new LinkedHashMap<>();
                r.tensors().forEach(t -> by.put(t.name(), r));
                return new ShardedSafetensors(by, readers);
            }
            if (Files.isRegularFile(index)) {
                return new ShardedSafetensors(fromIndex(dir, index, readers), readers);
            }
        } catch (IOException | RuntimeException e) {
            for (SafetensorsReader r : readers) {
                r.close();
            }
            throw e;
        }
        if (Files.exists(dir.resolve(PICKLE))) {
            throw new HubFormatException(dir + " holds only " + PICKLE + ", a Python pickle, which is never loaded here "
                    + "(unpickling can run code): convert it to safetensors first, e.g. with transformers: "
                    + "GPT2LMHeadModel.from_pretrained(DIR).save_pretrained(OUT, safe_serialization=True)");
        }
        throw new HubFormatException(dir + " has neither " + SINGLE + " nor " + INDEX);
    }

    private static Map<String, SafetensorsReader> fromIndex(Path dir, Path index, List<SafetensorsReader> readers)
            throws IOException {
        JsonNode map;
        try {
            map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
        } catch (JsonProcessingException e) {
            throw new HubFormatException(index + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (map == null || !map.isObject()) {
            throw new HubFormatException(index + ": field 'weight_map' must be an object of tensor name to shard file");
        }
        Map<String, SafetensorsReader> byFile = new LinkedHashMap<>();
        Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String shard = e.getValue().asText("");
            Path shardPath = dir.resolve(shard).normalize();
            if (shard.isEmpty() || !shardPath.getParent().equals(dir.normalize()) || !Files.isRegularFile(shardPath)) {
                throw new HubFormatException(index + ": tensor " + e.getKey() + " is in shard '" + shard
                        + "', which is not a file in " + dir);
            }
            SafetensorsReader r = byFile.get(shard);
            if (r == null) {
                r = SafetensorsReader.open(shardPath);
                readers.add(r);
                byFile.put(shard, r);
            }
            if (r.tensors().stream().noneMatch(t -> t.name().equals(e.getKey()))) {
                throw new HubFormatException(index + " places tensor " + e.getKey() + " in " + shard + ", which does not hold it");
            }
            byTensor.put(e.getKey(), r);
        }
        for (Map.Entry<String, SafetensorsReader> f : byFile.entrySet()) {
            for (TensorSpec t : f.getValue().tensors()) {
                if (byTensor.get(t.name()) != f.getValue()) {
                    throw new HubFormatException(dir.resolve(f.getKey()) + " holds tensor " + t.name()
                            + ", which " + INDEX + " does not place there");
                }
            }
        }
        return byTensor;
    }

    /** Every tensor's stored name, single file in file order, shards in index order. */
    public List<String> names() {
        return new ArrayList<>(readerByTensor.keySet());
    }

    public TensorSpec spec(String name) throws SafetensorsException {
        return reader(name).spec(name);
    }

    public String dtype(String name) throws SafetensorsException {
        return reader(name).dtype(name);
    }

    /** The file that holds the tensor. */
    public Path fileOf(String name) throws SafetensorsException {
        return reader(name).file();
    }

    /** The tensor's values as float32 (mapped for F32, upcast for F16/BF16). */
    public FloatBuffer floats(String name) throws IOException {
        return reader(name).floats(name);
    }

    /** The tensor's bytes as stored: for checksums and in-place weights (one mapping per tensor, see SafetensorsReader#bytes). */
    public ByteBuffer bytes(String name) throws IOException {
        return reader(name).bytes(name);
    }

    private SafetensorsReader reader(String name) throws SafetensorsException {
        SafetensorsReader r = readerByTensor.get(name);
        if (r == null) {
            throw new SafetensorsException("no safetensors file of this folder holds tensor " + name);
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        for (SafetensorsReader r : readers) {
            r.close();
        }
    }
}
