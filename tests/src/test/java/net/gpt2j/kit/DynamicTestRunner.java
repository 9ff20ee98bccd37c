package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.TestAbortedException;

/** Runs the kit's dynamic tests in-process and reports each outcome, so tests can look at one case's message. */
final class DynamicTestRunner {

    enum Status { PASSED, FAILED, SKIPPED }

    record Outcome(String name, Status status, String message) {}

    private DynamicTestRunner() {}

    static List<Outcome> run(Stream<DynamicNode> nodes) {
        return flatten(nodes).stream().map(DynamicTestRunner::execute).toList();
    }

    /** The outcome of the single test whose name ends with {@code nameSuffix}; only that test runs. */
    static Outcome one(Stream<DynamicNode> nodes, String nameSuffix) {
        List<DynamicTest> hits = flatten(nodes).stream().filter(t -> t.getDisplayName().endsWith(nameSuffix)).toList();
        if (hits.size() != 1) {
            throw new AssertionError(hits.size() + " tests end with \"" + nameSuffix + "\"");
        }
        return execute(hits.get(0));
    }

    private static List<DynamicTest> flatten(Stream<DynamicNode> nodes) {
        List<DynamicTest> out = new ArrayList<>();
        nodes.forEach(n -> collect(n, out));
        return out;
    }

    private static void collect(DynamicNode node, List<DynamicTest> out) {
        if (node instanceof DynamicContainer c) {
            c.getChildren().forEach(child -> collect(child, out));
        } else {
            out.add((DynamicTest) node);
        }
    }

    private static Outcome execute(DynamicTest t) {
        try {
            t.getExecutable().execute();
            return new Outcome(t.getDisplayName(), Status.PASSED, "");
        } catch (TestAbortedException e) {
            return new Outcome(t.getDisplayName(), Status.SKIPPED, e.getMessage());
        } catch (CaseFailure e) { // its message starts with the case's name, which the outcome carries
            return new Outcome(t.getDisplayName(), Status.FAILED, e.report());
        } catch (Throwable e) {
            return new Outcome(t.getDisplayName(), Status.FAILED, String.valueOf(e.getMessage()));
        }
    }
}
