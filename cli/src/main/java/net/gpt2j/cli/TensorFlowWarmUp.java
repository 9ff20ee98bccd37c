package net.gpt2j.cli;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * TensorFlow's first session run, in a class of its own: the JVM resolves TensorFlow's classes when it
 * verifies the class that names them, so keeping them here lets {@link NativeLogs} load on a classpath
 * without TensorFlow.
 */
final class TensorFlowWarmUp {

    private TensorFlowWarmUp() {}

    static void runOneConstant() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            session.runner().fetch(tf.constant(1)).run().close();
        }
    }
}
