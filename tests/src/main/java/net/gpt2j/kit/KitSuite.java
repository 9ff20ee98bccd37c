package net.gpt2j.kit;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The test class {@link KitRunner} hands to the JUnit Platform Launcher. The launcher instantiates
 * it by reflection, so it reads what to run from {@link KitRunner}'s static registry, set for the
 * duration of one run. Run any other way (an IDE, surefire), it refuses with a message.
 */
public class KitSuite {

    @TestFactory
    Stream<DynamicNode> goldens() {
        KitRunner.Plan plan = KitRunner.activePlan();
        if (plan == null) {
            throw new IllegalStateException("KitSuite runs only through KitRunner.run(...); in your own tests use"
                    + " GoldenTests.forProvider(...) in a @TestFactory method");
        }
        return plan.nodes().get();
    }
}
