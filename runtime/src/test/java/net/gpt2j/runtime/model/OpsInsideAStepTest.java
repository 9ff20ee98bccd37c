package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What libtorch's dispatcher runs inside one script call, read from its own profiler: under oneDNN's
 * products no weight is transposed per step (ScriptedForward passes the matrices as transposed views
 * made at load), where a {@code t()} per product cost three dispatcher calls each; and beam search's
 * cache reorder copies no whole cache first (index_select on the used slots' strided view did, every
 * row, moved or not, at every step) and, when the row count stays, moves each changed row with one
 * {@code copy_} of its used slots (no gather, no {@code index_copy_}).
 */
class OpsInsideAStepTest {

    private static GoldenFixture fixture;
    private static Gpt2Model model;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        fixture = GoldenFixture.of("odd");
        model = fixture.load(ModelConfig.DEFAULT);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aOneDnnStepTransposesNoWeightAndRunsOneLinearPerProduct() throws Exception {
        // a libtorch without oneDNN keeps BLAS, which multiplies by [in, out] as stored: nothing to check
        assumeTrue(model.oneDnnProducts(), "this libtorch runs no oneDNN linear");
        Map<String, Integer> ops;
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefillLogits(new int[][] {{3, 1, 4, 1, 5}}, null);
            decoder.stepLogits(new int[] {9}); // the step's path compiled and its shapes seen once
            ops = profiled(() -> decoder.stepLogits(new int[] {2}));
        }
        int products = 4 * fixture.hparams.nLayer() + 1; // each block's four, and the head
        assertThat(ops.getOrDefault("mkldnn::_linear_pointwise", 0)).as("%s", ops).isEqualTo(products);
        assertThat(ops.getOrDefault("aten::t", 0)).as("%s", ops).isZero();
    }

    /** Several rows (a batch, or a prefill's tokens) gather their embeddings as a transposed view: made contiguous once. */
    @Test
    void aBatchStepCopiesItsResidualStreamNoMoreThanOnce() throws Exception {
        int[] prompt = {3, 1, 4, 1, 5};
        Map<String, Integer> ops;
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefillLogits(new int[][] {prompt, prompt, prompt}, null);
            decoder.stepLogits(new int[] {9, 2, 6});
            ops = profiled(() -> decoder.stepLogits(new int[] {5, 3, 5}));
        }
        assertThat(ops.getOrDefault("aten::native_layer_norm", 0)).as("%s", ops).isEqualTo(2 * fixture.hparams.nLayer() + 1);
        assertThat(ops.getOrDefault("aten::clone", 0)).as("copies of the residual stream: %s", ops).isLessThanOrEqualTo(1);
    }

    @Test
    void aBeamReorderCopiesNoWholeCacheFirst() throws Exception {
        int[] prompt = {3, 1, 4, 1, 5};
        Map<String, Integer> keeping;
        Map<String, Integer> resizing;
        try (KvCacheDecoder decoder = model.newDecoder()) {
            decoder.prefillLogits(new int[][] {prompt, prompt, prompt}, null);
            decoder.stepLogits(new int[] {9, 2, 6});
            decoder.reorder(new int[] {1, 0, 0}); // compiled once, as a step's path is
            keeping = profiled(() -> decoder.reorder(new int[] {2, 2, 0})); // rows kept: moved in place
            resizing = profiled(() -> decoder.reorder(new int[] {1, 0})); // a row dropped: new arrays
        }
        int blocks = fixture.hparams.nLayer();
        // rows kept: new 0 = old 2, new 1 = old 2, new 2 = old 0; rows 0 and 2 swap, so one row aside a block,
        // and three rows written, each by one copy_ of its used slots (the row aside is a clone: a fourth)
        assertThat(keeping.getOrDefault("aten::clone", 0)).as("%s", keeping).isEqualTo(blocks);
        assertThat(keeping.getOrDefault("aten::copy_", 0)).as("%s", keeping).isEqualTo(4 * blocks);
        assertThat(keeping.getOrDefault("aten::index_select", 0) + keeping.getOrDefault("aten::index_copy_", 0)
                + keeping.getOrDefault("aten::index", 0)).as("gathers: %s", keeping).isZero();
        assertThat(resizing.getOrDefault("aten::index_select", 0)).as("%s", resizing).isEqualTo(blocks);
        for (Map<String, Integer> ops : List.of(keeping, resizing)) {
            assertThat(ops.getOrDefault("aten::contiguous", 0)).as("copies of a whole cache: %s", ops).isZero();
        }
        assertThat(resizing.getOrDefault("aten::clone", 0)).as("copies of a whole cache: %s", resizing).isZero();
    }

    private Map<String, Integer> profiled(Runnable call) throws Exception {
        Path trace = dir.resolve("call" + System.nanoTime() + ".json");
        JniUtils.startProfile(false, false, false);
        try {
            call.run();
        } finally {
            JniUtils.stopProfile(trace.toString());
        }
        return counts(trace);
    }

    private static Map<String, Integer> counts(Path trace) throws Exception {
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText())) {
                out.merge(e.path("name").asText(), 1, Integer::sum);
            }
        }
        return out;
    }
}
