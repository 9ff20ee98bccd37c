package net.gpt2j.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes {@value #FILE_NAME}: JUnit XML in the form CI servers read, with every case named by its
 * display name ({@code hf-4.57.6/tiny › beam[3] num_beams=3 ...}) rather than JUnit's legacy
 * index names ({@code goldens()[4][52]}), one {@code <testsuite>} per golden file. A numeric
 * case's margin (max |diff| and tolerance) is in its {@code <system-out>}, pass or fail, and as
 * {@code <properties>}; a skip carries its reason, a failure its report, neither a stack trace.
 */
final class JUnitXmlReport implements TestExecutionListener {

    static final String FILE_NAME = "TEST-gpt2j-kit.xml";

    private record Case(String name, String status, String message, double seconds, String marginText,
            double maxDiff, double tolerance) {}

    private final Path dir;
    private final CaseResults results;
    private final Map<String, List<Case>> suites = new LinkedHashMap<>();
    private final Map<String, Long> started = new LinkedHashMap<>();
    private TestPlan plan;

    JUnitXmlReport(Path dir, CaseResults results) {
        this.dir = dir;
        this.results = results;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            add(id, new Case(id.getDisplayName(), "skipped", reason, 0, null, Double.NaN, Double.NaN));
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest() && result.getStatus() != TestExecutionResult.Status.FAILED) {
            return;
        }
        Long t0 = started.get(id.getUniqueId());
        double seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1e9;
        String message = result.getThrowable().map(SummaryListener::message).orElse(null);
        String status = switch (result.getStatus()) {
            case SUCCESSFUL -> "passed";
            case ABORTED -> "skipped";
            case FAILED -> "failed";
        };
        var margin = results.get(SummaryListener.uri(id)).flatMap(r -> r.marginIfNumeric());
        add(id, new Case(id.getDisplayName(), status, message, seconds, margin.map(Object::toString).orElse(null),
                margin.map(m -> m.maxDiff()).orElse(Double.NaN), margin.map(m -> m.tolerance()).orElse(Double.NaN)));
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
                XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
                write(x);
                x.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE_NAME + " into " + dir, e);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write " + FILE_NAME + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    private void add(TestIdentifier id, Case c) {
        suites.computeIfAbsent(suiteName(id), k -> new ArrayList<>()).add(c);
    }

    /** The golden file container a case belongs to (its parent's display name), or {@code gpt2j-kit}. */
    private String suiteName(TestIdentifier id) {
        if (plan == null || !id.isTest()) {
            return "gpt2j-kit";
        }
        return plan.getParent(id).filter(p -> p.getUniqueId().contains("[dynamic-container:"))
                .map(TestIdentifier::getDisplayName).orElse("gpt2j-kit");
    }

    private void write(XMLStreamWriter x) throws XMLStreamException {
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuites");
        x.writeAttribute("name", "gpt2j-kit");
        for (Map.Entry<String, List<Case>> suite : suites.entrySet()) {
            List<Case> cases = suite.getValue();
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", suite.getKey());
            x.writeAttribute("tests", String.valueOf(cases.size()));
            x.writeAttribute("failures", String.valueOf(cases.stream().filter(c -> c.status.equals("failed")).count()));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", String.valueOf(cases.stream().filter(c -> c.status.equals("skipped")).count()));
            x.writeAttribute("time", seconds(cases.stream().mapToDouble(Case::seconds).sum()));
            for (Case c : cases) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("name", c.name);
                x.writeAttribute("classname", suite.getKey());
                x.writeAttribute("time", seconds(c.seconds));
                if (c.marginText != null) {
                    x.writeStartElement("properties");
                    property(x, "max_abs_diff", c.maxDiff);
                    property(x, "tolerance", c.tolerance);
                    x.writeEndElement();
                }
                if (c.status.equals("failed")) {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", c.message == null ? "" : c.message.lines().findFirst().orElse(""));
                    x.writeCharacters(c.message == null ? "" : c.message);
                    x.writeEndElement();
                } else if (c.status.equals("skipped")) {
                    x.writeStartElement("skipped");
                    x.writeAttribute("message", c.message == null ? "" : c.message);
                    x.writeEndElement();
                }
                if (c.marginText != null) {
                    x.writeStartElement("system-out");
                    x.writeCharacters(c.marginText + "\n");
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndDocument();
    }

    private static void property(XMLStreamWriter x, String name, double value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", String.format(Locale.ROOT, "%.3e", value));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
