package net.gpt2j.cli.port;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import net.gpt2j.converter.ConversionListener;
import net.gpt2j.converter.Converter;
import net.gpt2j.converter.FileTrees;
import net.gpt2j.tf.FixtureWriter;
import net.gpt2j.kit.Capability;
import net.gpt2j.kit.Gpt2Port;
import net.gpt2j.kit.ModelSpec;
import net.gpt2j.kit.PortProvider;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.model.DeviceChoice;
import net.gpt2j.runtime.tokenizer.Gpt2Tokenizer;

/**
 * Gives the kit this project's runtime for a golden's model, the whole way a user would get it: a
 * synthetic spec is written as a real TF checkpoint (TensorFlow's SaveV2), converted by the
 * converter to a hub GPT-2 folder, and loaded from that folder; a real checkpoint is converted
 * the same way; a converted folder given by the user ({@code --model}) is loaded as it is.
 */
public final class RuntimePortProvider implements PortProvider, AutoCloseable {

    private final Path workDir;
    private final Path modelDir;
    private final DeviceChoice device;

    /**
     * @param workDir  where fixtures and conversions are written (removed by {@link #close})
     * @param modelDir a converted folder to use for every model spec instead of building one, or null
     */
    public RuntimePortProvider(Path workDir, Path modelDir, DeviceChoice device) {
        this.workDir = workDir;
        this.modelDir = modelDir;
        this.device = device;
    }

    /**
     * Whether TensorFlow is on the classpath. Without it (a device machine carrying the project without
     * TensorFlow's 160 MB native jar) a synthetic spec's model is written straight as a hub folder
     * ({@link ModelSpec#writeHubFolder}, the same tensors the fixture and the converter give:
     * {@code ModelSpecHubFolderTest}), so the goldens still run; only the converter is not exercised.
     */
    public static final boolean TENSORFLOW_PRESENT = present("org.tensorflow.Graph");

    private static boolean present(String className) {
        try {
            Class.forName(className, false, RuntimePortProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Gpt2Port portFor(ModelSpec spec) throws Exception {
        if (spec.source() == ModelSpec.Source.TOKENIZER_ONLY) {
            Gpt2Tokenizer tokenizer = modelDir == null ? Gpt2Tokenizer.fromGoldenData()
                    : Gpt2Tokenizer.fromHubFolder(modelDir);
            return new TokenizerPort(tokenizer);
        }
        if (modelDir != null) {
            return new RuntimePort(Gpt2Runtime.load(modelDir, device));
        }
        if (spec.source() != ModelSpec.Source.CHECKPOINT && !TENSORFLOW_PRESENT) {
            Path hub = Files.createDirectories(workDir).resolve(spec.name() + "-hub");
            FileTrees.deleteRecursively(hub);
            return new RuntimePort(Gpt2Runtime.load(spec.writeHubFolder(hub), device));
        }
        if (spec.checkpointIsHubFolder()) {
            return new RuntimePort(Gpt2Runtime.load(spec.checkpoint(), device));
        }
        Path checkpoint = spec.source() == ModelSpec.Source.CHECKPOINT ? spec.checkpoint() : writeFixture(spec);
        Path converted = Files.createDirectories(workDir).resolve(spec.name() + "-converted");
        new Converter(ConversionListener.SILENT).convert(checkpoint, converted, true);
        return new RuntimePort(Gpt2Runtime.load(converted, device));
    }

    private Path writeFixture(ModelSpec spec) throws IOException {
        Path dir = Files.createDirectories(workDir).resolve(spec.name() + "-checkpoint");
        FileTrees.deleteRecursively(dir);
        new FixtureWriter().write(spec.seed(), spec.hparams(), dir);
        return dir;
    }

    /** The tokenizer goldens need no weights. */
    private static final class TokenizerPort implements Gpt2Port {
        private final Gpt2Tokenizer tokenizer;

        TokenizerPort(Gpt2Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.TOKENIZER);
        }

        @Override
        public int[] tokenize(String text) {
            return tokenizer.encode(text);
        }

        @Override
        public String decode(int[] ids) {
            return tokenizer.decode(ids);
        }
    }

    @Override
    public void close() throws IOException {
        FileTrees.deleteRecursively(workDir);
    }
}
