package net.gpt2j.kit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the golden tests for a port without a build tool, through the JUnit Platform Launcher (for
 * {@code gpt2 verify}): prints a summary table (with the worst margin per kind) and each port
 * provider failure once with its cause chain, writes JUnit XML ({@value JUnitXmlReport#FILE_NAME},
 * cases named by their display names) and {@code kit-report.md} into the report folder, and
 * returns the counts, failures (each with a one-line {@link KitResult.Failure#reason()}), margins
 * and provider failures so a CLI can print them and exit non-zero.
 *
 * <p>How the launcher finds the port: the launcher instantiates {@link KitSuite} by reflection and
 * cannot be handed objects, so {@code run()} puts its plan (the provider, tolerances and golden
 * files, already wired into dynamic tests) in a static registry for the duration of the run and
 * clears it afterwards. Runs are serialised on this class. ServiceLoader was not used because a
 * CLI chooses the port at run time (a converted folder, a flag), which a service file cannot express.
 */
public final class KitRunner {

    /** What {@link KitSuite} should produce during the current run. */
    record Plan(Supplier<Stream<DynamicNode>> nodes) {}

    private static volatile Plan active;

    private final PortProvider provider;
    private Tolerances tolerances = Tolerances.fromSystemProperties();
    private Path checkpoint;
    private boolean checkpointSet;
    private final List<Path> goldenFiles = new ArrayList<>();
    private Path reportDir = Path.of("target", "gpt2j-kit-report");
    private PrintStream out = System.out;

    private KitRunner(PortProvider provider) {
        this.provider = provider;
    }

    public static KitRunner forProvider(PortProvider provider) {
        return new KitRunner(provider);
    }

    static Plan activePlan() {
        return active;
    }

    public KitRunner tolerances(Tolerances t) {
        tolerances = t;
        return this;
    }

    /** An OpenAI checkpoint folder for the real-weight cases (default: {@code -Dgpt2.checkpoint}, else skipped). */
    public KitRunner checkpoint(Path dir) {
        checkpoint = dir;
        checkpointSet = true;
        return this;
    }

    /** Golden files to run instead of the packaged ones. */
    public KitRunner goldenFiles(List<Path> files) {
        goldenFiles.addAll(files);
        return this;
    }

    public KitRunner reportDir(Path dir) {
        reportDir = dir;
        return this;
    }

    /** Where the summary table and the XML writer's notes go. */
    public KitRunner out(PrintStream stream) {
        out = stream;
        return this;
    }

    public KitResult run() {
        synchronized (KitRunner.class) {
            try {
                Files.createDirectories(reportDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the report folder " + reportDir, e);
            }
            GoldenTests base = GoldenTests.forProvider(provider).withTolerances(tolerances).withMarginLines(null);
            GoldenTests tests = checkpointSet ? base.withCheckpoint(checkpoint) : base;
            Path[] files = goldenFiles.toArray(Path[]::new);
            active = new Plan(() -> files.length == 0 ? tests.packaged() : tests.files(files));
            SummaryListener summary = new SummaryListener(tests.results());
            try {
                LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(KitSuite.class))
                        .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                        .build();
                Launcher launcher = LauncherFactory.create();
                launcher.execute(request, summary, new JUnitXmlReport(reportDir, tests.results()));
            } finally {
                active = null;
            }
            List<KitResult.ProviderFailure> providerFailures = tests.providerFailures().stream()
                    .map(f -> new KitResult.ProviderFailure(f.spec().toString(), f.rootCause(), f.causeChain())).toList();
            tests.closePorts().forEach(out::println);
            KitResult result = summary.result(reportDir, providerFailures);
            Path md = MarkdownReport.write(result, tolerances, reportDir);
            out.print(result.summaryTable());
            for (KitResult.ProviderFailure f : result.providerFailures()) {
                out.println("the port provider failed for " + f.model() + ": " + f.rootCause());
                out.println("  cause chain: " + f.causeChain());
            }
            out.println((result.success() ? "OK" : "NOT OK") + ": report in " + md + " and JUnit XML in " + reportDir);
            out.flush();
            return result;
        }
    }
}
