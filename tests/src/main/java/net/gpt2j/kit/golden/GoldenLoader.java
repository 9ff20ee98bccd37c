package net.gpt2j.kit.golden;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.format.Hparams;

/**
 * Reads any golden file of FORMAT.md, from the classpath or from a path, and picks its parser by
 * the {@code format} field, so files the kit has never seen (another fixture, other prompts)
 * work as long as they follow the format.
 */
public final class GoldenLoader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenLoader() {}

    /** A file packaged in gpt2j-golden, by its path relative to {@code golden/data/}. */
    public static GoldenFile packaged(String relativePath) {
        try (InputStream in = GoldenData.open(relativePath)) {
            return load(relativePath, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read packaged golden file " + relativePath, e);
        }
    }

    /**
     * Every packaged golden file run by default, in a stable order: model goldens, the format-gap
     * goldens (the padded vocabulary among them), activations, tokenizer, real.
     */
    public static List<String> packagedNames() {
        List<String> names = new ArrayList<>();
        for (String version : GoldenData.HF_VERSIONS) {
            for (String fixture : GoldenData.FIXTURES) {
                names.add(GoldenData.modelGolden(version, fixture));
            }
        }
        names.addAll(GoldenData.FORMAT_GAP_GOLDENS);
        names.add(GoldenData.PADDED_VOCAB_GOLDEN);
        for (String fixture : GoldenData.FIXTURES) {
            names.add(GoldenData.activationsGolden(fixture));
        }
        names.add(GoldenData.TOKENIZER_GOLDEN);
        names.add(REAL_GOLDEN);
        return names;
    }

    /** The packaged results recorded on OpenAI's real weights. */
    public static final String REAL_GOLDEN = "real-gpt2.json";

    public static GoldenFile load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(file.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + file, e);
        }
    }

    /** Parses {@code in}; {@code name} is how errors and test names refer to the file. */
    public static GoldenFile load(String name, InputStream in) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new GoldenFormatException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + name, e);
        }
        if (root == null || root.isMissingNode()) {
            throw new GoldenFormatException(name + ": the file is empty");
        }
        JsonField top = new JsonField(name, "", root);
        String format = top.field("format").text();
        GoldenKind kind = GoldenKind.ofFormat(format)
                .orElseThrow(() -> top.field("format").error("unknown format \"" + format + "\"; the kit reads "
                        + java.util.Arrays.stream(GoldenKind.values()).map(GoldenKind::format).toList()));
        return switch (kind) {
            case MODEL -> ModelGoldenParser.parse(name, top);
            case TOKENIZER -> TokenizerGoldenParser.parse(name, top);
            case ACTIVATIONS -> ActivationsParser.parse(name, top);
            case REAL -> RealGoldenParser.parse(name, top);
        };
    }

    /** Loads and checks the kind in one step. */
    public static <T extends GoldenFile> T load(Path file, Class<T> expected) {
        return expect(load(file), expected);
    }

    public static <T extends GoldenFile> T packaged(String relativePath, Class<T> expected) {
        return expect(packaged(relativePath), expected);
    }

    private static <T extends GoldenFile> T expect(GoldenFile f, Class<T> expected) {
        if (!expected.isInstance(f)) {
            throw new GoldenFormatException(f.name() + ": format: is " + f.kind().format()
                    + ", expected a " + expected.getSimpleName());
        }
        return expected.cast(f);
    }

    static Hparams hparams(JsonField top) {
        JsonField h = top.field("hparams");
        try {
            return new Hparams(
                    h.field("n_vocab").intValue(),
                    h.field("n_ctx").intValue(),
                    h.field("n_embd").intValue(),
                    h.field("n_head").intValue(),
                    h.field("n_layer").intValue());
        } catch (IllegalArgumentException e) {
            throw h.error(e.getMessage());
        }
    }

    static RecordedWith recordedWith(JsonField top) {
        Map<String, String> entries = new LinkedHashMap<>();
        top.optional("recorded_with").ifPresent(r -> r.entries().forEach((k, v) -> entries.put(k, v.scalarText())));
        return new RecordedWith(entries);
    }
}
