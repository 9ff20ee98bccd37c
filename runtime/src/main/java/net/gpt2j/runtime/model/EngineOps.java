package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Every engine operation the forward pass issues, each exactly one call into libtorch, counted.
 *
 * <p>On a GPU a decode step costs about (engine calls x the cost of one call): each is a JNI
 * crossing plus a kernel launch or a view. DJL's generic {@code NDArray} methods sometimes issue
 * several calls for one idea (a slice {@code get} adds a squeeze; a slice {@code set} adds a reshape
 * and a broadcast), so the model calls the PyTorch engine's {@link JniUtils} here directly, one
 * method per call, and {@link #calls()} is the exact number it issued. Freeing an array is not
 * counted: it launches nothing.
 *
 * <p>Results belong to the first operand's manager, as DJL's own methods do, except for the slicing
 * methods, which take the manager explicitly (a view of a long-lived array, owned by a step).
 */
final class EngineOps {

    private long calls;

    /** How many engine calls were issued so far. */
    long calls() {
        return calls;
    }

    private static PtNDArray pt(NDArray a) {
        return (PtNDArray) a;
    }

    private <T> T counted(T result) {
        calls++;
        return result;
    }

    /** {@code x @ weight^T + bias}, weight {@code [out, in]}; one fused addmm for a 2-D x. */
    NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return counted(JniUtils.linear(pt(x), pt(weight), bias == null ? null : pt(bias)));
    }

    NDArray layerNorm(NDArray x, long width, NDArray gain, NDArray bias, double eps) {
        return counted(JniUtils.layerNorm(pt(x), new Shape(width), pt(gain), pt(bias), eps));
    }

    NDArray reshape(NDArray x, long... shape) {
        return counted(JniUtils.reshape(pt(x), shape));
    }

    NDArray permute(NDArray x, long... axes) {
        return counted(JniUtils.permute(pt(x), axes));
    }

    NDArray transpose(NDArray x, long a, long b) {
        return counted(JniUtils.transpose(pt(x), a, b));
    }

    /** The view {@code x[from[0]:to[0], from[1]:to[1], ...]} (later axes whole), owned by {@code owner}. */
    NDArray slice(NDArray x, NDManager owner, long[] from, long[] to) {
        return slice(x, owner, from, to, ones(from.length));
    }

    /** {@link #slice(NDArray, NDManager, long[], long[])} with a stride per axis. */
    NDArray slice(NDArray x, NDManager owner, long[] from, long[] to, long[] stride) {
        return counted(JniUtils.index(pt(x), from, to, stride, (PtNDManager) owner));
    }

    /** Copies {@code value} into {@code target[from[0]:to[0], ...]} in place (broadcasting as torch's copy_). */
    void write(NDArray target, NDArray value, long[] from, long[] to) {
        JniUtils.indexSet(pt(target), pt(value), from, to, ones(from.length));
        calls++;
    }

    NDArray matMul(NDArray a, NDArray b) {
        return counted(JniUtils.matmul(pt(a), pt(b)));
    }

    NDArray softmax(NDArray x, long axis) {
        return counted(JniUtils.softmax(pt(x), axis, DataType.FLOAT32));
    }

    NDArray add(NDArray a, NDArray b) {
        return counted(JniUtils.add(pt(a), pt(b)));
    }

    /** {@code a += b}; returns {@code a}. */
    NDArray addInPlace(NDArray a, NDArray b) {
        JniUtils.addi(pt(a), pt(b));
        calls++;
        return a;
    }

    /** {@code a *= b}; returns {@code a}. */
    NDArray mulInPlace(NDArray a, NDArray b) {
        JniUtils.muli(pt(a), pt(b));
        calls++;
        return a;
    }

    NDArray div(NDArray a, NDArray b) {
        return counted(JniUtils.div(pt(a), pt(b)));
    }

    NDArray square(NDArray x) {
        return counted(JniUtils.square(pt(x)));
    }

    NDArray sigmoid(NDArray x) {
        return counted(JniUtils.sigmoid(pt(x)));
    }

    /** The exact (erf) GELU, torch's default. */
    NDArray geluErf(NDArray x) {
        return counted(JniUtils.gelu(pt(x)));
    }

    /** Rows of {@code table} picked by the ids in {@code ids}: {@code [..., width]}. */
    NDArray embedding(NDArray ids, NDArray table) {
        return counted(JniUtils.embedding(pt(ids), pt(table), false));
    }

    /** A new array on {@code owner}'s device holding {@code values}, shaped {@code shape}. */
    NDArray create(NDManager owner, float[] values, Shape shape) {
        return counted(owner.create(values, shape));
    }

    NDArray create(NDManager owner, long[] values) {
        return counted(owner.create(values));
    }

    /** The {@code k} largest along {@code axis}, sorted: values then indices. */
    NDList topK(NDArray x, long k, long axis) {
        return counted(JniUtils.topK(pt(x), k, axis, true, true));
    }

    /** The first index of the maximum along {@code axis}, as torch.argmax breaks ties. */
    NDArray argMax(NDArray x, long axis) {
        return counted(JniUtils.argMax(pt(x), axis, false));
    }

    private static long[] ones(int n) {
        long[] steps = new long[n];
        java.util.Arrays.fill(steps, 1L);
        return steps;
    }
}
