package net.gpt2j.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import net.gpt2j.format.safetensors.ShardedSafetensors;

/**
 * Checks a converted folder's tensors against the CRC-32C per tensor its {@code manifest.json}
 * records, so bit rot (a bad disk, a truncated copy, a stray write) is caught at load instead of
 * silently changing what the model generates. A folder without our manifest (any other HF-written
 * folder) has nothing to check against. The CRC-32C is over the tensor's bytes as stored, which
 * the CPU's crc32 instruction runs through at memory speed.
 */
public final class ManifestChecksums {

    public static final String FILE = "manifest.json";
    /** The manifest formats that record a "crc32c" per tensor. */
    private static final String FORMAT_PREFIX = "gpt2j-manifest/";

    private ManifestChecksums() {}

    /** True when {@code dir} holds a gpt2j manifest.json. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** The CRC-32C the manifest records for each tensor, by stored name. */
    public static Map<String, Integer> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new HubFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        String format = root == null ? "" : root.path("format").asText("");
        if (!format.startsWith(FORMAT_PREFIX) || format.equals(FORMAT_PREFIX + "1")) {
            throw new HubFormatException(file + ": field 'format' is \"" + format + "\", expected " + FORMAT_PREFIX
                    + "2 or later (re-convert the model)");
        }
        JsonNode tensors = root.path("safetensors").path("tensors");
        if (!tensors.isArray() || tensors.isEmpty()) {
            throw new HubFormatException(file + ": field 'safetensors.tensors' must list the tensors with their crc32c");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode t : tensors) {
            String name = t.path("name").asText("");
            String crc = t.path("crc32c").asText("");
            if (name.isEmpty() || !crc.matches("[0-9a-f]{8}")) {
                throw new HubFormatException(file + ": a tensor entry lacks a name or an 8-hex-digit crc32c: " + t);
            }
            out.put(name, Integer.parseUnsignedInt(crc, 16));
        }
        return out;
    }

    /**
     * Compares every tensor the manifest lists with the weights' bytes. The two must name the same
     * tensors: one the weights hold and the manifest does not list would go unchecked, so it is
     * refused rather than loaded on trust (an edited manifest, or weights from another conversion).
     *
     * @throws HubFormatException naming the first tensor that is missing, unlisted or whose checksum differs
     */
    public static void verify(Path dir, ShardedSafetensors weights) throws IOException {
        Map<String, Integer> recorded = read(dir);
        for (String name : recorded.keySet()) {
            if (!weights.names().contains(name)) {
                throw new HubFormatException(dir.resolve(FILE) + " lists tensor " + name + ", which the weights do not hold");
            }
        }
        for (String name : weights.names()) {
            if (!recorded.containsKey(name)) {
                throw new HubFormatException(weights.fileOf(name) + ": tensor " + name + " is not listed in " + FILE
                        + ", so its CRC-32C cannot be checked (convert again, or skip this check with --no-verify-weights)");
            }
        }
        for (Map.Entry<String, Integer> e : recorded.entrySet()) {
            String name = e.getKey();
            int actual = crc32c(weights.bytes(name));
            if (actual != e.getValue()) {
                throw new HubFormatException(weights.fileOf(name) + ": tensor " + name + " has CRC-32C "
                        + String.format("%08x", actual) + " but " + FILE + " records " + String.format("%08x", e.getValue())
                        + ": the file changed since it was converted (convert again, or skip this check with --no-verify-weights)");
            }
        }
    }

    static int crc32c(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }
}
