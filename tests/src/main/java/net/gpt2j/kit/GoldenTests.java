package net.gpt2j.kit;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.gpt2j.kit.check.CheckResult;
import net.gpt2j.kit.golden.GoldenFile;
import net.gpt2j.kit.golden.GoldenLoader;
import java.io.PrintStream;
import org.opentest4j.TestAbortedException;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * Turns golden files into JUnit 5 dynamic tests for a port, one test per case, named like
 * {@code hf-4.57.6/tiny › beam[3] num_beams=3 length_penalty=2.0 early_stopping=true}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> goldens() {
 *     return GoldenTests.forProvider(spec -> MyPort.load(spec)).packaged();
 * }
 * }</pre>
 *
 * A case whose capabilities the port does not declare is aborted (reported SKIPPED) with the
 * missing capabilities named. Real-weight cases are skipped unless a checkpoint is given
 * ({@link #withCheckpoint} or {@code -Dgpt2.checkpoint=DIR}). Tolerances default to
 * {@link Tolerances#fromSystemProperties()}.
 *
 * <p>Every numeric case prints one line to standard output, pass or fail:
 * {@code [gpt2j-kit] <test name>: max |diff| 3.1e-06, tolerance 1.0e-04 abs (3% of it)}, which
 * Surefire keeps in the case's {@code <system-out>} of its JUnit XML ({@link KitRunner} writes its
 * own XML and turns this off). Skips and failures carry their reason only, no stack trace.
 */
public final class GoldenTests {

    /** The system property naming OpenAI's real weights, {@code -Dgpt2.checkpoint=DIR}: the release folder or a hub folder of it. */
    public static final String CHECKPOINT_PROPERTY = "gpt2.checkpoint";

    private final PortCache ports;
    private final Tolerances tolerances;
    private final RealCheckpoint checkpoint;
    private final CaseResults results;
    private final PrintStream marginLines;

    private GoldenTests(PortCache ports, Tolerances tolerances, RealCheckpoint checkpoint, CaseResults results,
            PrintStream marginLines) {
        this.ports = ports;
        this.tolerances = tolerances;
        this.checkpoint = checkpoint;
        this.results = results;
        this.marginLines = marginLines;
    }

    public static GoldenTests forProvider(PortProvider provider) {
        String dir = System.getProperty(RealCheckpoint.PROPERTY);
        return new GoldenTests(new PortCache(provider), Tolerances.fromSystemProperties(),
                dir == null || dir.isBlank() ? null : RealCheckpoint.read(Path.of(dir)), new CaseResults(), System.out);
    }

    public GoldenTests withTolerances(Tolerances t) {
        return new GoldenTests(ports, t, checkpoint, results, marginLines);
    }

    /** Runs the real-weight cases of the model in {@code dir} (an OpenAI checkpoint folder); null to skip them. */
    public GoldenTests withCheckpoint(Path dir) {
        return new GoldenTests(ports, tolerances, dir == null ? null : RealCheckpoint.read(dir), results, marginLines);
    }

    /** Where each numeric case's margin line goes (default standard output); null for none. */
    public GoldenTests withMarginLines(PrintStream out) {
        return new GoldenTests(ports, tolerances, checkpoint, results, out);
    }

    /** What each case that ran found (its check's result, margin included), by the case's test source URI. */
    CaseResults results() {
        return results;
    }

    /** Each port provider failure so far, once per model. */
    List<PortCache.ProviderFailure> providerFailures() {
        return ports.failures();
    }

    public Tolerances tolerances() {
        return tolerances;
    }

    /** Every golden file packaged in gpt2j-golden, one container each. */
    public Stream<DynamicNode> packaged() {
        return GoldenLoader.packagedNames().stream().map(name -> container(name, () -> GoldenLoader.packaged(name)));
    }

    /** Golden files from disk: other fixtures, other prompts, anything that follows FORMAT.md. */
    public Stream<DynamicNode> files(Path... files) {
        return Arrays.stream(files).map(p -> container(p.toString(), () -> GoldenLoader.load(p)));
    }

    /** Already parsed golden files. */
    public Stream<DynamicNode> of(GoldenFile... files) {
        return Arrays.stream(files).map(f -> container(f.name(), () -> f));
    }

    /** Closes the ports the provider handed out that are {@link AutoCloseable}. */
    public List<String> closePorts() {
        return ports.closeAll();
    }

    private DynamicNode container(String name, java.util.function.Supplier<GoldenFile> load) {
        // loading happens here, so a malformed file fails as its own test naming the file and field,
        // and the other files still run
        GoldenFile file;
        try {
            file = load.get();
        } catch (RuntimeException e) {
            String message = e.getMessage();
            return DynamicTest.dynamicTest(name + " \u203a load", GoldenCase.uri("load", name, 0), () -> {
                throw new AssertionFailedError("cannot load golden file: " + message, e);
            });
        }
        List<GoldenCase> cases = new GoldenCases(tolerances, checkpoint).of(file);
        return DynamicContainer.dynamicContainer(file.shortName(), cases.stream().map(this::test));
    }

    private DynamicTest test(GoldenCase c) {
        return DynamicTest.dynamicTest(c.displayName(), c.source(), () -> run(c));
    }

    private void run(GoldenCase c) {
        if (c.skipReason() != null) {
            throw withoutStackTrace(new TestAbortedException(c.skipReason()));
        }
        Gpt2Port port = ports.get(c.spec());
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(c.needs());
        missing.removeAll(port.capabilities());
        if (!missing.isEmpty()) {
            String hint = missing.equals(EnumSet.of(Capability.SEQUENCE_LOGPROB)) && port.capabilities().contains(Capability.LOGITS)
                    ? " (Gpt2Port.sequenceLogprob has a default built on logits(): declaring it runs these cases)" : "";
            throw withoutStackTrace(new TestAbortedException("the port does not declare "
                    + missing.stream().map(Enum::name).collect(Collectors.joining(", ")) + hint));
        }
        CheckResult result = c.run().apply(port);
        results.put(c.source(), result);
        if (marginLines != null) {
            result.marginIfNumeric().ifPresent(m -> marginLines.println("[gpt2j-kit] " + c.displayName() + ": " + m));
        }
        if (!result.ok()) {
            throw new CaseFailure(c.displayName(), result.report());
        }
    }

    /** The kit's own frames say nothing to a port's author; the message is the whole report. */
    private static <T extends Throwable> T withoutStackTrace(T t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }
}
