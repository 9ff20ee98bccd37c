package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The counter of the engine calls the model issues, and the few it issues outside its TorchScript
 * forward.
 *
 * <p>On a GPU a decode step costs about (engine calls x the cost of one call): each is a JNI
 * crossing plus, for a tensor operation, a dispatch and a kernel launch. So every call into libtorch
 * that does work (building a script argument, running the script, taking its result, a
 * {@code topk}) is counted here, and {@link #calls()} is the exact number issued. Freeing a native
 * object is not counted: it launches nothing.
 */
final class EngineOps {

    private long calls;

    /** How many engine calls were issued so far. */
    long calls() {
        return calls;
    }

    /** Counts one engine call, whose result is {@code result}. */
    <T> T counted(T result) {
        calls++;
        return result;
    }

    /** A new array on {@code owner}'s device holding {@code values}, shaped {@code shape}. */
    NDArray create(NDManager owner, float[] values, Shape shape) {
        return counted(owner.create(values, shape));
    }

    /** The {@code k} largest along {@code axis}, sorted: values then indices. */
    NDList topK(NDArray x, long k, long axis) {
        return counted(JniUtils.topK((PtNDArray) x, k, axis, true, true));
    }

    /** The first index of the maximum along {@code axis}, as torch.argmax breaks ties. */
    NDArray argMax(NDArray x, long axis) {
        return counted(JniUtils.argMax((PtNDArray) x, axis, false));
    }

    /** A new array on {@code owner}'s device holding {@code values}, shaped {@code shape}. */
    NDArray create(NDManager owner, long[] values, Shape shape) {
        return counted(owner.create(values, shape));
    }

    /** {@code torch.log_softmax(x, axis)} in float32, as a new array. */
    NDArray logSoftmax(NDArray x, long axis) {
        return counted(JniUtils.logSoftmax((PtNDArray) x, axis, DataType.FLOAT32));
    }

    /** {@code x += y} in place, {@code y} broadcast. */
    void addInPlace(NDArray x, NDArray y) {
        JniUtils.addi((PtNDArray) x, (PtNDArray) y);
        counted(x);
    }

    /** {@code x.reshape(shape)}: a view where torch can make one. */
    NDArray reshape(NDArray x, long... shape) {
        return counted(JniUtils.reshape((PtNDArray) x, shape));
    }

    /** {@code torch.gather(x, axis, index)}. */
    NDArray gather(NDArray x, NDArray index, long axis) {
        return counted(JniUtils.gather((PtNDArray) x, (PtNDArray) index, axis));
    }

    /** {@code x.scatter(axis, index, values)}: a new array, {@code x} left as it was. */
    NDArray scatter(NDArray x, NDArray index, NDArray values, int axis) {
        return counted(JniUtils.scatter((PtNDArray) x, (PtNDArray) index, (PtNDArray) values, axis));
    }

    /** {@code x.repeat_interleave(times, axis)}: each slice repeated {@code times} in place. */
    NDArray repeatEach(NDArray x, long times, long axis) {
        return counted(JniUtils.repeat((PtNDArray) x, times, axis));
    }
}
