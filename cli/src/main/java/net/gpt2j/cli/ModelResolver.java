package net.gpt2j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.converter.Converter;
import net.gpt2j.converter.source.CheckpointSource;
import net.gpt2j.converter.source.SourceFile;
import net.gpt2j.format.HubConfig;
import net.gpt2j.format.safetensors.ShardedSafetensors;

/**
 * What {@code --model} names, as a hub folder the runtime loads, like {@code from_pretrained}: a
 * hub folder (it holds config.json) is used as it is; an OpenAI release (a folder with
 * hparams.json, or an archive of one) is converted once into a cache folder and reused after.
 *
 * <p>The cache folder is {@code <cache>/<name>-<12 hex digits>}, the digits from the sha256 of the
 * release's files (names, sizes and sha256s, as the converter records them in manifest.json), so
 * two releases never share a folder. A cached folder is reused only when its manifest lists exactly
 * those files; anything else (an interrupted or edited conversion) is converted again. Hashing the
 * release on every run is the price of telling a stale cache from a good one (the 124M shard
 * hashes at the disk's read speed).
 */
final class ModelResolver {

    static final String CACHE_ENV = "GPT2J_CACHE";
    /** What a hub folder's weights are called: one file, the index of shards, or PyTorch's pickle. */
    private static final List<String> HUB_WEIGHTS =
            List.of(ShardedSafetensors.SINGLE, ShardedSafetensors.INDEX, ShardedSafetensors.PICKLE);

    private final Path cacheRoot;
    private final ConversionListener listener;

    ModelResolver(Path cacheRoot, ConversionListener listener) {
        this.cacheRoot = cacheRoot;
        this.listener = listener;
    }

    /** {@code --cache-dir} if given, else {@code $GPT2J_CACHE}, else {@code ~/.cache/gpt2j}. */
    static Path cacheRoot(Path option, Map<String, String> env, Path home) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get(CACHE_ENV);
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : home.resolve(".cache").resolve("gpt2j");
    }

    /** The hub folder to load for {@code model}, converting an OpenAI release into the cache first if needed. */
    Path resolve(Path model) throws IOException {
        if (Files.isDirectory(model) && Files.isRegularFile(model.resolve(HubConfig.FILE))) {
            return model;
        }
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("--model " + model + " does not exist");
        }
        if (Files.isDirectory(model) && HUB_WEIGHTS.stream().anyMatch(w -> Files.exists(model.resolve(w)))) {
            // the hub's weights without their config: not a release to convert, a hub folder missing a file
            throw new IllegalArgumentException("--model " + model + " holds a hub model's weights but no " + HubConfig.FILE
                    + ", which a hub GPT-2 folder needs (save_pretrained writes it beside the weights)");
        }
        if (Files.exists(cacheRoot) && !Files.isDirectory(cacheRoot)) {
            throw new IllegalArgumentException("the cache folder " + cacheRoot + " (--cache-dir, else $" + CACHE_ENV
                    + ") exists and is not a folder");
        }
        Files.createDirectories(cacheRoot);
        List<SourceFile> sources;
        try (CheckpointSource src = CheckpointSource.open(model, cacheRoot)) {
            listener.phase("hashing " + model, src.totalBytes());
            sources = src.fingerprint(done -> listener.progress(done, src.description()));
        }
        Path cached = cacheRoot.resolve(baseName(model) + "-" + key(sources));
        if (matches(cached, sources)) {
            return cached;
        }
        new Converter(listener).convert(model, cached, Files.exists(cached));
        return cached;
    }

    /** True when {@code cached} is a finished conversion of exactly these source files. */
    private static boolean matches(Path cached, List<SourceFile> sources) {
        Path manifest = cached.resolve(Converter.MANIFEST);
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(cached.resolve(HubConfig.FILE))) {
            return false;
        }
        try {
            JsonNode recorded = new ObjectMapper().readTree(manifest.toFile()).path("sources");
            if (recorded.size() != sources.size()) {
                return false;
            }
            for (int i = 0; i < sources.size(); i++) {
                SourceFile s = sources.get(i);
                JsonNode r = recorded.get(i);
                if (!s.name().equals(r.path("name").asText()) || s.size() != r.path("size").asLong(-1)
                        || !s.sha256().equals(r.path("sha256").asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // an unreadable manifest is a stale cache: convert again
        }
    }

    private static String key(List<SourceFile> sources) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        for (SourceFile s : sources) {
            sha.update((s.name() + " " + s.size() + " " + s.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    /** The release's name: the folder's, or the archive's without its extension ("124M.tar.gz" -> "124M"). */
    static String baseName(Path model) {
        String name = model.toAbsolutePath().normalize().getFileName().toString();
        for (String ext : new String[] {".tar.gz", ".tgz", ".tar", ".zip"}) {
            if (name.endsWith(ext) && name.length() > ext.length()) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }
}
