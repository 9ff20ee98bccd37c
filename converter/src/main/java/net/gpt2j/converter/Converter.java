package net.gpt2j.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.gpt2j.converter.ConversionResult.OutputTensor;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.ReaderKind;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.GenerationConfigFile;
import net.gpt2j.format.HubConfig;
import net.gpt2j.format.ManifestChecksums;
import net.gpt2j.format.MappedTensor;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.format.safetensors.ShardedSafetensors;
import net.gpt2j.format.tokenizer.BpeFiles;
import net.gpt2j.format.tokenizer.BpeModel;
import net.gpt2j.format.tokenizer.HubTokenizerFiles;
import net.gpt2j.converter.hparams.HparamsFile;
import net.gpt2j.format.safetensors.SafetensorsWriter;
import net.gpt2j.converter.source.CheckpointSource;
import net.gpt2j.converter.source.SourceFile;
import net.gpt2j.format.Hparams;

/**
 * Converts an OpenAI GPT-2 checkpoint into the hub's GPT-2 folder, what HuggingFace's
 * {@code save_pretrained} of {@code GPT2LMHeadModel} and {@code GPT2TokenizerFast} would write, so the
 * runtime, transformers and other tools load the same folder: {@code model.safetensors} (hub names,
 * Conv1D {@code [in, out]}, tied head), {@code config.json}, {@code generation_config.json}, the
 * tokenizer files ({@link HubTokenizerFiles}), and our {@code manifest.json} and {@code README.md}.
 *
 * <p>The checkpoint's index is checked against the hparams before any tensor data is read. Then
 * tensors stream one at a time as bytes (read, verify, cut, write, checksum: {@link
 * TensorRelayout}), so memory holds a chunk buffer and at most one transposed input, whatever the
 * model's size (the 1558M model is 6.2 GB). The source files are hashed on a second thread
 * meanwhile ({@link SourceHashing}). The folder appears atomically or not at all (see {@link
 * OutputFolder}).
 */
public final class Converter {

    /** Recorded in manifest.json. Kept by hand: the build does not filter resources. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    public static final String SAFETENSORS = ShardedSafetensors.SINGLE;
    public static final String CONFIG = HubConfig.FILE;
    public static final String MANIFEST = ManifestChecksums.FILE;
    public static final String README = "README.md";

    /**
     * For config.json and manifest.json, written last. A holder, so Jackson's databind (0.12 s to
     * load, which once sat on the critical path at start) is loaded by {@link #loadInBackground}
     * while the tensors convert, not when a Converter is created. Everything read or written before
     * (hparams.json, encoder.json, the safetensors header) uses Jackson's streaming API only.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        /**
         * Loads the mapper on another thread, to be ready when the tensors are written: the second
         * core has finished hashing by then, the first is busy converting.
         */
        static void loadInBackground() {
            Thread t = new Thread(() -> MAPPER.getClass(), "json-load");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Only counts encoder.json's keys: no interning or canonicalizing of 50,257 names into a symbol
     * table, which took 57 ms of the 69 ms parse.
     */
    private static final JsonFactory COUNTING = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private final ConversionListener listener;
    private final Clock clock;

    public Converter(ConversionListener listener) {
        this(listener, Clock.systemUTC());
    }

    Converter(ConversionListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Converts the checkpoint at {@code source} (a folder, .tar, .tar.gz/.tgz or .zip) into {@code
     * outputDir}. Anything that must be unpacked goes to a scratch folder beside the output, deleted
     * afterwards.
     */
    public ConversionResult convert(Path source, Path outputDir, boolean force) throws IOException {
        return convert(source, outputDir, force, ReaderKind.JAVA);
    }

    /** As {@link #convert(Path, Path, boolean)}, reading tensors with the given kind of reader. */
    public ConversionResult convert(Path source, Path outputDir, boolean force, ReaderKind readerKind) throws IOException {
        OutputTarget.checkAgainstSource(source, outputDir);
        OutputFolder.checkTarget(outputDir, force);
        Path scratchParent = outputDir.toAbsolutePath().normalize().getParent();
        listener.phase("reading " + source, 0);
        try (CheckpointSource src = CheckpointSource.open(source, scratchParent)) {
            Hparams h = HparamsFile.read(src.hparamsFile());
            ConversionInput.Fingerprints fingerprints = l -> {
                // the tokenizer files are validated here, off the tensors' core; awaited before anything is committed
                TokenizerFiles.check(src.encoderJson(), src.vocabBpe(), h.nVocab());
                l.phase("hashing source files", src.totalBytes());
                return src.fingerprint(done -> l.progress(done, src.description()));
            };
            // every file is located: hash them on the second core from now on, beside the checks (which
            // cancel it if they fail) and the conversion
            try (SourceHashing hashing = SourceHashing.start(fingerprints, listener)) {
                try (CheckpointReader reader = src.openReader(readerKind)) {
                    return convert(new ConversionInput(reader, h, src.encoderJson(), src.vocabBpe(), fingerprints), outputDir,
                            force, hashing);
                }
            }
        }
    }

    /**
     * Converts {@code input} into {@code outputDir}. An existing {@code outputDir} is refused unless
     * {@code force}, in which case it is replaced only once the new folder is complete.
     */
    public ConversionResult convert(ConversionInput input, Path outputDir, boolean force) throws IOException {
        return convert(input, outputDir, force, null);
    }

    /** @param started the sources' fingerprinting if already under way, else null: it starts once the index passes its checks */
    private ConversionResult convert(ConversionInput input, Path outputDir, boolean force, SourceHashing started)
            throws IOException {
        OutputFolder.checkTarget(outputDir, force);
        Hparams h = input.hparams();
        WeightMapping mapping = new WeightMapping(h);
        InputPlan plan = InputPlan.check(input.reader().tensors(), mapping, h);
        try (SourceHashing hashing = started != null ? started : SourceHashing.start(input.sources(), listener)) {
            checkEncoder(input.encoderJson(), h);
            checkReadable(input.vocabBpe(), "vocab.bpe");
            if (!plan.ignored().isEmpty()) {
                listener.warning("ignoring " + plan.ignored().size() + " checkpoint variable(s) that are not model weights: "
                        + plan.ignored());
            }
            try (OutputFolder out = OutputFolder.prepare(outputDir, force)) {
                Path st = out.work().resolve(SAFETENSORS);
                List<OutputTensor> tensors = writeSafetensors(input.reader(), plan, mapping, st);
                long stBytes = Files.size(st);
                out.write(HubConfig.FILE, () -> HubConfig.openAi(h).write(out.work()));
                out.write(GenerationConfigFile.FILE, () -> GenerationConfigFile.write(out.work()));
                BpeModel bpe = new BpeModel(BpeFiles.readVocab(input.encoderJson()), BpeFiles.readMerges(input.vocabBpe()));
                try {
                    out.write("the tokenizer's files", () -> HubTokenizerFiles.write(bpe, h.nCtx(), out.work()));
                } catch (IllegalArgumentException e) {
                    throw new ConversionException("encoder file " + input.encoderJson() + ": " + e.getMessage(), e);
                }
                out.write(README, () -> Files.writeString(out.work().resolve(README), OutputReadme.render(mapping, h),
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW));
                List<SourceFile> written = new ArrayList<>();
                for (String name : WRITTEN) {
                    written.add(hashed(out.work().resolve(name)));
                }
                List<SourceFile> sources = hashing.await();
                ObjectNode manifest = Manifest.of(h, clock.instant().truncatedTo(ChronoUnit.SECONDS), sources, written,
                        plan.ignored(), SAFETENSORS, stBytes, tensors);
                out.write(MANIFEST, () -> writeJson(out.work().resolve(MANIFEST), manifest));
                out.commit();
                return new ConversionResult(out.target(), tensors, plan.ignored(), stBytes);
            }
        }
    }

    /**
     * Maps every tensor into memory, in hub names, without writing a file: for tests and small
     * fixtures that feed a runtime directly. Same checks as {@link #convert}; keys in {@link
     * WeightMapping#outputs()} order.
     */
    public static Map<String, MappedTensor> convertInMemory(CheckpointReader reader, Hparams hparams) throws IOException {
        WeightMapping mapping = new WeightMapping(hparams);
        InputPlan plan = InputPlan.check(reader.tensors(), mapping, hparams);
        Map<String, MappedTensor> byName = new HashMap<>();
        for (InputPlan.Item item : plan.items()) {
            for (MappedTensor t : mapOne(reader, item, mapping)) {
                byName.put(t.name(), t);
            }
        }
        Map<String, MappedTensor> ordered = new LinkedHashMap<>();
        for (TensorSpec s : mapping.outputs()) {
            ordered.put(s.name(), byName.get(s.name()));
        }
        return ordered;
    }

    private List<OutputTensor> writeSafetensors(CheckpointReader reader, InputPlan plan, WeightMapping mapping, Path file)
            throws IOException {
        List<TensorSpec> specs = mapping.outputs();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt"); // transformers refuses a safetensors file without it
        Map<String, Integer> crc = new HashMap<>();
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, specs, metadata)) {
            listener.phase("converting tensors", plan.totalBytes());
            Json.loadInBackground();
            crc.putAll(TensorWorkers.convert(plan, reader, writer, mapping, listener));
            writer.finish();
        }
        List<OutputTensor> out = new ArrayList<>(specs.size());
        for (TensorSpec s : specs) {
            out.add(new OutputTensor(s.name(), s.shape(), crc.get(s.name())));
        }
        return out;
    }

    /** Reads one checkpoint tensor and maps it; the input buffer is dropped when this returns. */
    private static List<MappedTensor> mapOne(CheckpointReader reader, InputPlan.Item item, WeightMapping mapping)
            throws IOException {
        TensorEntry e = item.entry();
        ByteBuffer bytes;
        try {
            bytes = reader.read(e);
        } catch (RuntimeException ex) {
            throw new ConversionException("reading tensor " + e.name() + " failed: " + ex, ex);
        }
        if (bytes.remaining() != e.size()) {
            throw new ConversionException("reading tensor " + e.name() + " gave " + bytes.remaining()
                    + " bytes, expected " + e.size());
        }
        // slice() forgets the byte order, so set it after: checkpoint bytes are little-endian
        FloatBuffer values = bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        return mapping.map(item.input(), values);
    }

    /** encoder.json must map exactly n_vocab tokens: a mismatch means the tokenizer belongs to another model. */
    private static void checkEncoder(Path encoder, Hparams h) throws IOException {
        checkReadable(encoder, "encoder.json");
        int entries = 0;
        try (JsonParser p = COUNTING.createParser(encoder.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ConversionException("encoder file " + encoder + " must be a JSON object of token -> id");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                p.nextToken();
                p.skipChildren();
                entries++;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new ConversionException("encoder file " + encoder + " is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        if (entries > h.nVocab()) {
            // n_vocab above the tokenizer's size is a padded vocabulary (50304 is common): rows no token maps to
            throw new ConversionException("encoder file " + encoder + " has " + entries + " tokens but hparams n_vocab is "
                    + h.nVocab() + "; n_vocab must be at least the tokenizer's size");
        }
    }

    private static void checkReadable(Path file, String what) throws ConversionException {
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConversionException(what + " " + file + " is not a readable file");
        }
    }

    /** The small files written beside the weights, recorded in manifest.json with their sha256. */
    private static final List<String> WRITTEN = List.of(CONFIG, GenerationConfigFile.FILE, BpeFiles.VOCAB_JSON,
            BpeFiles.MERGES_TXT, BpeFiles.TOKENIZER_JSON, HubTokenizerFiles.TOKENIZER_CONFIG,
            HubTokenizerFiles.SPECIAL_TOKENS_MAP);

    private static SourceFile hashed(Path file) throws IOException {
        MessageDigest sha = sha256();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }
        return new SourceFile(file.getFileName().toString(), size, HexFormat.of().formatHex(sha.digest()));
    }

    private static void writeJson(Path file, Object tree) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            Json.MAPPER.writeValue(out, tree);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
