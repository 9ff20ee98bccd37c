package net.gpt2j.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.DynamicTestRunner.Outcome;
import net.gpt2j.kit.DynamicTestRunner.Status;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: what a third-party port's author met, each shown with a port that is imperfect in
 * exactly that way: log-probability rows, a mojibake decoder, a provider failing through
 * reflection, margins on passing cases, readable names in the JUnit XML.
 */
class PortAuthorFindingsTest {

    private static final String TINY = GoldenData.modelGolden("4.57.6", "tiny");

    @TempDir
    Path reports;

    private static Outcome run(PortProvider provider, String file, String caseSuffix) {
        return DynamicTestRunner.one(GoldenTests.forProvider(provider).withTolerances(Tolerances.defaults())
                .withMarginLines(null).of(GoldenLoader.packaged(file)), caseSuffix);
    }

    /** The replayed logits turned into log-softmax rows, as a port whose API returns probabilities would pass them. */
    private static PortProvider logProbabilities(float offsetAtPosition1) {
        PortProvider base = ReplayPort.provider();
        return spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public float[][][] logits(int[][] ids, int[][] mask) {
                float[][][] l = inner.logits(ids, mask);
                for (float[] row : l[0]) {
                    double lse = net.gpt2j.kit.check.LogitsCheckAccess.logsumexp(row);
                    for (int i = 0; i < row.length; i++) {
                        row[i] = (float) (row[i] - lse);
                    }
                }
                l[0][1][0] += offsetAtPosition1;
                return l;
            }
        };
    }

    @Test
    void logProbabilityRowsAreJudgedUpToAPerRowConstantAndTheReportSaysSo() {
        Outcome o = run(logProbabilities(0f), TINY, "logits[0] prompt_len=4");

        assertThat(o.status()).isEqualTo(Status.PASSED);
        Outcome shifted = run(logProbabilities(1e-3f), TINY, "logits[0] prompt_len=4");
        assertThat(shifted.status()).as("a real error in a log-probability row still fails").isEqualTo(Status.FAILED);
        assertThat(shifted.message()).startsWith("logits NOT OK (log-probabilities, judged up to a per-row constant): 1 of ")
                .contains("first: position 1, token 0:")
                .contains("the port's rows are log-probabilities (every row's logsumexp is 0 within 1.0e-03): judged up to a"
                        + " per-row constant, each row compared after adding the golden's logsumexp of that position");
    }

    @Test
    void plainLogitsOffByAConstantAreStillWrong() {
        // only rows that sum to probability 1 are taken as log-probabilities: logits + 1 is not excused
        PortProvider base = ReplayPort.provider();
        Outcome o = run(spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public float[][][] logits(int[][] ids, int[][] mask) {
                float[][][] l = inner.logits(ids, mask);
                for (float[] row : l[0]) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] += 1f;
                    }
                }
                return l;
            }
        }, TINY, "logits[0] prompt_len=4");

        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("logits NOT OK: ").doesNotContain("log-probabilities");
    }

    /** UTF-8 bytes read one char per byte: "café" comes back "cafÃ©". */
    private static PortProvider mojibakeDecoder() {
        PortProvider base = ReplayPort.provider();
        return spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public String decode(int[] ids) {
                return new String(inner.decode(ids).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }

            @Override
            public int[] tokenize(String text) {
                return new int[] {0}; // the encoder is wrong too: decode must still be judged on its own
            }
        };
    }

    @Test
    void decodeIsCheckedOnTheGoldenIdsEvenWhenTheEncoderIsWrong() {
        List<Outcome> all = DynamicTestRunner.run(GoldenTests.forProvider(mojibakeDecoder()).withMarginLines(null)
                .of(GoldenLoader.packaged(GoldenData.TOKENIZER_GOLDEN)));

        List<Outcome> decode = all.stream().filter(o -> o.name().contains("decode[")).toList();
        assertThat(decode).hasSize(99);
        long asciiPassed = decode.stream().filter(o -> o.status() == Status.PASSED).count();
        long failed = decode.stream().filter(o -> o.status() == Status.FAILED).count();
        assertThat(failed).as("every non-ASCII text fails").isPositive();
        assertThat(asciiPassed + failed).isEqualTo(99);
        assertThat(decode.stream().filter(o -> o.status() == Status.FAILED)).allMatch(o -> o.message()
                .startsWith("decode NOT OK: decoding the golden's ids, first difference at char"));
        assertThat(decode.stream().filter(o -> o.status() == Status.FAILED)).anyMatch(o -> o.message()
                .contains("looks like UTF-8 bytes read one char per byte"));
        assertThat(all.stream().filter(o -> o.name().contains("tokenizer[")))
                .allMatch(o -> o.status() == Status.FAILED && o.message().startsWith("tokenize NOT OK"));
    }

    /** A provider that fails as one loaded by reflection does when a module is missing. */
    private static PortProvider failingThroughReflection() {
        return spec -> {
            if (spec.source() != ModelSpec.Source.SYNTHETIC) {
                return Set::of;
            }
            NoClassDefFoundError missing = new NoClassDefFoundError("jdk/incubator/vector/FloatVector");
            throw new InvocationTargetException(new IllegalStateException("cannot build the fast matmul", missing));
        };
    }

    /**
     * The provider a port's author writes first reads {@code spec.syntheticWeights()} for every spec: the
     * tokenizer spec has none. Its cases are skipped saying what to return, not failed; any other
     * failure of the provider for that spec still fails them.
     */
    @Test
    void aProviderThatReadsSyntheticWeightsOfTheTokenizerSpecHasItsCasesSkippedSayingWhy() {
        PortProvider replay = ReplayPort.provider();
        PortProvider syntheticOnly = spec -> {
            spec.syntheticWeights();
            return replay.portFor(spec);
        };
        List<Outcome> skipped = DynamicTestRunner.run(GoldenTests.forProvider(syntheticOnly).withTolerances(Tolerances.defaults())
                .withMarginLines(null).of(GoldenLoader.packaged(GoldenData.TOKENIZER_GOLDEN)));
        assertThat(skipped).isNotEmpty().allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(Status.SKIPPED);
            assertThat(o.message()).startsWith("the provider asked the tokenizer spec for synthetic weights, which it has not")
                    .contains("one with no capabilities (Set::of)");
        });

        PortProvider broken = spec -> {
            throw new IllegalStateException("cannot open my vocabulary");
        };
        List<Outcome> failed = DynamicTestRunner.run(GoldenTests.forProvider(broken).withTolerances(Tolerances.defaults())
                .withMarginLines(null).of(GoldenLoader.packaged(GoldenData.TOKENIZER_GOLDEN)));
        assertThat(failed).isNotEmpty().allMatch(o -> o.status() == Status.FAILED && o.message().contains("cannot open my vocabulary"));
    }

    /** Surefire's closing summary lists failure messages only (the kit removes stack traces): each names its case. */
    @Test
    void aFailedCasesMessageStartsWithTheCasesName() throws Throwable {
        List<DynamicTest> tests = new ArrayList<>();
        PortProvider replay = ReplayPort.provider();
        PortProvider scaled = spec -> new ForwardingPort(replay.portFor(spec)) {
            @Override
            public float[][][] logits(int[][] ids, int[][] mask) {
                float[][][] l = inner.logits(ids, mask);
                l[0][0][0] *= 1.5f;
                return l;
            }
        };
        GoldenTests.forProvider(scaled).withTolerances(Tolerances.defaults()).withMarginLines(null)
                .of(GoldenLoader.packaged(TINY)).forEach(n -> collect(n, tests));
        DynamicTest logits = tests.stream().filter(t -> t.getDisplayName().contains("logits[0]")).findFirst().orElseThrow();
        assertThatThrownBy(() -> logits.getExecutable().execute()).hasMessageStartingWith(logits.getDisplayName() + ": logits NOT OK");
    }

    private static void collect(DynamicNode node, List<DynamicTest> out) {
        if (node instanceof DynamicContainer c) {
            c.getChildren().forEach(child -> collect(child, out));
        } else {
            out.add((DynamicTest) node);
        }
    }

    @Test
    void aProviderFailureShowsItsRootCauseChainOncePerModelNotOncePerCase() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        KitResult result = KitRunner.forProvider(failingThroughReflection()).reportDir(reports)
                .goldenFiles(List.of(packagedCopy(TINY)))
                .out(new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        assertThat(result.providerFailures()).hasSize(1);
        KitResult.ProviderFailure f = result.providerFailures().get(0);
        assertThat(f.model()).startsWith("fixture tiny (seed 1");
        assertThat(f.rootCause()).isEqualTo("java.lang.NoClassDefFoundError: jdk/incubator/vector/FloatVector");
        assertThat(f.causeChain()).startsWith("java.lang.reflect.InvocationTargetException")
                .contains("caused by java.lang.IllegalStateException: cannot build the fast matmul")
                .endsWith("caused by java.lang.NoClassDefFoundError: jdk/incubator/vector/FloatVector");
        assertThat(result.failures()).isNotEmpty().allMatch(x -> x.reason().equals("the port provider failed for " + f.model()
                + ": java.lang.NoClassDefFoundError: jdk/incubator/vector/FloatVector")
                || x.reason().startsWith("the port provider failed for " + f.model() + ": java.lang.NoClassDefFoundError"));
        assertThat(result.failures().stream().filter(x -> x.message().contains("cause chain (shown once"))).hasSize(1);

        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out.split("cause chain: ", -1)).as("printed once").hasSize(2);
        assertThat(out).contains("the port provider failed for fixture tiny").contains("NoClassDefFoundError")
                .doesNotContain("\tat ");
        String md = Files.readString(reports.resolve(MarkdownReport.FILE_NAME));
        assertThat(md).contains("## Port provider failures").contains("jdk/incubator/vector/FloatVector");
        assertThat(md.split("caused by java.lang.IllegalStateException", -1)).as("the chain once in the report").hasSize(3);
    }

    private Path packagedCopy(String name) throws Exception {
        Path file = reports.resolveSibling(reports.getFileName() + "-in").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, GoldenData.read(name));
        return file;
    }

    @Test
    void everyNumericCaseRecordsItsMarginPassOrFailInTheReportTheXmlAndTheSummary() throws Exception {
        PortProvider base = ReplayPort.provider();
        PortProvider slightlyOff = spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public float[][][] logits(int[][] ids, int[][] mask) {
                float[][][] l = inner.logits(ids, mask);
                l[0][0][11] += 3e-5f; // within 1e-4: passes with a margin of ~30%
                return l;
            }

            @Override
            public Set<Capability> capabilities() {
                return Set.of(Capability.LOGITS, Capability.BEAM);
            }
        };
        KitResult result = KitRunner.forProvider(slightlyOff).tolerances(Tolerances.defaults()).reportDir(reports)
                .goldenFiles(List.of(packagedCopy(TINY)))
                .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(result.byKind().get("logits").passed()).isEqualTo(5);
        assertThat(result.margins()).filteredOn(m -> m.kind().equals("logits")).hasSize(5).allMatch(KitResult.CaseMargin::passed);
        assertThat(result.margins()).filteredOn(m -> m.kind().equals("beam")).hasSize(6);
        KitResult.CaseMargin worst = result.worstMarginByKind().get("logits");
        assertThat(worst.margin().maxDiff()).isBetween(2.9e-5, 3.1e-5);
        assertThat(worst.margin().tolerance()).isEqualTo(1e-4);
        assertThat(result.summaryTable().lines()).anyMatch(l -> l.matches("logits\\s+5\\s+5\\s+0\\s+0\\s+3\\.0e-05 of 1\\.0e-04 abs"))
                .anyMatch(l -> l.matches("beam\\s+18\\s+6\\s+0\\s+12\\s+\\d\\.\\de[-+]\\d\\d of 1\\.0e-04 rel"));

        String md = Files.readString(reports.resolve(MarkdownReport.FILE_NAME));
        assertThat(md).contains("## Margins").containsPattern("\\| hf-4.57.6/tiny › logits\\[0\\] prompt_len=4 \\| OK \\| 3\\.0e-05 \\| 1\\.0e-04 abs \\| 30% \\|");
        String xml = Files.readString(reports.resolve(JUnitXmlReport.FILE_NAME));
        assertThat(xml).contains("<testcase name=\"hf-4.57.6/tiny › logits[0] prompt_len=4\" classname=\"hf-4.57.6/tiny\"")
                .containsPattern("<property name=\"max_abs_diff\" value=\"3\\.0\\d\\de-05\"")
                .contains("max |diff| 3.0e-05, tolerance 1.0e-04 abs (30% of it)");
    }

    @Test
    void theXmlNamesEveryCaseByKindFixtureCaseAndPromptAndSkipsCarryNoStackTrace() throws Exception {
        KitResult result = KitRunner.forProvider(spec -> () -> Set.of(Capability.TOKENIZER)).reportDir(reports)
                .goldenFiles(List.of(packagedCopy(TINY), packagedCopy(GoldenData.TOKENIZER_GOLDEN)))
                .out(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(result.skipped()).isPositive();
        String xml = Files.readString(reports.resolve(JUnitXmlReport.FILE_NAME));
        assertThat(xml).doesNotContain("goldens()[").doesNotContain("\tat ").doesNotContain("at net.gpt2j")
                .contains("<testsuite name=\"hf-4.57.6/tiny\"").containsPattern("<testsuite name=\"[^\"/]+/tokenizer\"")
                .contains("<testcase name=\"hf-4.57.6/tiny › beam[3] num_beams=3 length_penalty=2.0 early_stopping=true\""
                        + " classname=\"hf-4.57.6/tiny\"")
                .containsPattern("<testcase name=\"[^\"/]+/tokenizer › tokenizer\\[0\\] &quot;")
                .contains("<skipped message=\"the port does not declare LOGITS\"></skipped>");
    }
}
