package net.gpt2j.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What libtorch's dispatcher runs inside one decode step's script call, read from its own profiler:
 * under oneDNN's products no weight is transposed per step (ScriptedForward passes the matrices as
 * transposed views made at load), where a {@code t()} per product cost three dispatcher calls each.
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
            Path trace = dir.resolve("step.json");
            JniUtils.startProfile(false, false, false);
            try {
                decoder.stepLogits(new int[] {2});
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            ops = counts(trace);
        }
        int products = 4 * fixture.hparams.nLayer() + 1; // each block's four, and the head
        assertThat(ops.getOrDefault("mkldnn::_linear_pointwise", 0)).as("%s", ops).isEqualTo(products);
        assertThat(ops.getOrDefault("aten::t", 0)).as("%s", ops).isZero();
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
