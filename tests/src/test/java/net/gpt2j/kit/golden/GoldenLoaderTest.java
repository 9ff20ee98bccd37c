package net.gpt2j.kit.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.EarlyStopping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenLoaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyPackagedGoldenLoadsAsTheKindItsFormatFieldNames() {
        for (String name : GoldenLoader.packagedNames()) {
            GoldenFile f = GoldenLoader.packaged(name);
            assertThat(f.name()).isEqualTo(name);
        }
        ModelGolden tiny = GoldenLoader.packaged(GoldenData.modelGolden("4.57.6", "tiny"), ModelGolden.class);
        assertThat(tiny.recordedWith().transformers()).isEqualTo("4.57.6");
        assertThat(tiny.hparams().nEmbd()).isEqualTo(64);
        assertThat(tiny.logits()).hasSize(5);
        assertThat(tiny.logits().get(0).lastFull()).hasSize(50257);
        assertThat(tiny.greedy()).hasSize(18);
        assertThat(tiny.beam()).hasSize(18);
        assertThat(tiny.beam().get(3).earlyStopping()).isEqualTo(EarlyStopping.TRUE);
        assertThat(tiny.beam().get(3).lengthPenalty()).isEqualTo(2.0);
        assertThat(tiny.beam().get(0).lengthPenalty()).as("HF's default when absent").isEqualTo(1.0);
        assertThat(tiny.batchGreedy().get(0).attentionMask()[0][0]).isZero();
        assertThat(tiny.warpers()).hasSize(4);
        assertThat(tiny.perplexity().get(0).stride()).isEqualTo(32);

        ActivationsGolden act = GoldenLoader.packaged(GoldenData.activationsGolden("tiny"), ActivationsGolden.class);
        assertThat(act.probes()).hasSize(20);
        assertThat(act.probe("h0.mlp.c_fc").orElseThrow().cols()).isEqualTo(256);
        ActivationsGolden.Probe embed = act.probe("embed").orElseThrow();
        float maxAbs = 0;
        for (float x : embed.values()) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        assertThat((double) maxAbs).as("decoded float32 LE agrees with the file's max_abs").isEqualTo(embed.maxAbs());

        assertThat(GoldenLoader.packaged(GoldenData.TOKENIZER_GOLDEN, TokenizerGolden.class).cases()).hasSize(99);
        RealGolden real = GoldenLoader.packaged(GoldenLoader.REAL_GOLDEN, RealGolden.class);
        assertThat(real.cases()).extracting(RealGolden.RealCase::kind)
                .containsExactly("greedy", "logits", "perplexity", "logits", "greedy", "greedy", "greedy", "beam", "beam");
    }

    @Test
    void aGoldenFileNeverSeenBeforeLoadsFromDiskWithItsOwnPromptsAndMissingListsEmpty() throws Exception {
        Path f = dir.resolve("other.golden.json");
        Files.writeString(f, """
                {"format": "gpt2-golden/1", "recorded_with": {"transformers": "4.40.0"},
                 "fixture": "wide", "seed": 7, "hparams": {"n_vocab": 50257, "n_ctx": 32, "n_embd": 96, "n_head": 6, "n_layer": 1},
                 "greedy": [{"input_ids": [15496, 995], "max_new_tokens": 2, "output_ids": [15496, 995, 11, 11],
                             "min_top2_gap": 0.5, "repetition_penalty": 1.2}]}
                """);
        ModelGolden g = GoldenLoader.load(f, ModelGolden.class);

        assertThat(g.fixture()).isEqualTo("wide");
        assertThat(g.shortName()).endsWith("other");
        assertThat(g.greedy().get(0).repetitionPenalty()).isEqualTo(1.2);
        assertThat(g.greedy().get(0).sequenceLogprob()).isNull();
        assertThat(g.beam()).isEmpty();
    }

    private Path broken(String packaged, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(GoldenData.read(packaged));
        edit.accept(root);
        Path f = dir.resolve("broken.json");
        JSON.writeValue(f.toFile(), root);
        return f;
    }

    @Test
    void aMissingFieldIsRefusedNamingTheFileAndFieldPath() throws Exception {
        Path f = broken(GoldenData.modelGolden("4.57.6", "tiny"), r -> ((ObjectNode) r.get("greedy").get(2)).remove("min_top2_gap"));
        assertThatThrownBy(() -> GoldenLoader.load(f)).isInstanceOf(GoldenFormatException.class)
                .hasMessage(f + ": greedy[2].min_top2_gap: required field is missing");
    }

    private Path brokenProbe(int index, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        return broken(GoldenData.activationsGolden("tiny"), r -> edit.accept((ObjectNode) r.get("probes").get(index)));
    }

    private static String base64Floats(int count) {
        return Base64.getEncoder().encodeToString(new byte[count * Float.BYTES]);
    }

    @Test
    void badBase64InAProbeIsRefusedNamingTheFileAndProbe() throws Exception {
        Path f = brokenProbe(3, p -> p.put("f32le_b64", "!!not base64!!"));
        assertThatThrownBy(() -> GoldenLoader.load(f)).isInstanceOf(GoldenFormatException.class)
                .hasMessageStartingWith(f + ": probes[3].f32le_b64: probe \"h0.attn.k\": not valid base64 (");
    }

    @Test
    void aProbeWhoseDataHoldsFewerValuesThanItsShapeIsRefusedNamingTheProbe() throws Exception {
        Path f = brokenProbe(0, p -> p.put("f32le_b64", base64Floats(22 * 64 - 1)));
        assertThatThrownBy(() -> GoldenLoader.load(f)).isInstanceOf(GoldenFormatException.class)
                .hasMessage(f + ": probes[0].f32le_b64: probe \"embed\": decodes to 1407 float32 values, expected 1408");
    }

    @Test
    void aProbeWhoseDataIsNotWholeFloatsIsRefusedNamingTheProbe() throws Exception {
        Path f = brokenProbe(19, p -> p.put("f32le_b64", Base64.getEncoder().encodeToString(new byte[22 * 64 * 4 - 2])));
        assertThatThrownBy(() -> GoldenLoader.load(f))
                .hasMessage(f + ": probes[19].f32le_b64: probe \"ln_f\": decodes to 5630 bytes, not a whole number of float32 values");
    }

    @Test
    void aProbeWidthThatDisagreesWithTheHparamsIsRefusedEvenWhenItsDataAgrees() throws Exception {
        // shape and data agree with each other (22 x 65), but a 64-wide model has no 65-wide probe
        Path f = brokenProbe(0, p -> {
            ((ArrayNode) p.get("shape")).set(1, 65);
            p.put("f32le_b64", base64Floats(22 * 65));
        });
        assertThatThrownBy(() -> GoldenLoader.load(f))
                .hasMessage(f + ": probes[0].shape: probe \"embed\" has width 65 but the hparams imply n_embd = 64");
    }

    @Test
    void anMlpCFcProbeMustBeFourTimesNEmbdWide() throws Exception {
        Path f = brokenProbe(7, p -> {
            ((ArrayNode) p.get("shape")).set(1, 64);
            p.put("f32le_b64", base64Floats(22 * 64));
        });
        assertThatThrownBy(() -> GoldenLoader.load(f))
                .hasMessage(f + ": probes[7].shape: probe \"h0.mlp.c_fc\" has width 64 but the hparams imply 4 * n_embd = 256");
    }

    @Test
    void aProbeWhosePositionsDifferFromTheInputIdsIsRefused() throws Exception {
        Path f = brokenProbe(4, p -> {
            ((ArrayNode) p.get("shape")).set(0, 21);
            p.put("f32le_b64", base64Floats(21 * 64));
        });
        assertThatThrownBy(() -> GoldenLoader.load(f))
                .hasMessage(f + ": probes[4].shape: probe \"h0.attn.v\" has 21 positions but input_ids has 22");
    }

    @Test
    void aProbeNameOutsideTheGpt2GrammarIsRefusedNamingTheProbe() throws Exception {
        for (String bad : new String[] {"h0.attn.o", "h0.mlp.c_proj", "wte", "h.ln_1", "h01.ln_1", "H0.ln_1", "h0.ln_1 "}) {
            Path f = brokenProbe(5, p -> p.put("name", bad));
            assertThatThrownBy(() -> GoldenLoader.load(f)).as(bad).isInstanceOf(GoldenFormatException.class)
                    .hasMessageStartingWith(f + ": probes[5].name: probe \"" + bad + "\" is not a GPT-2 probe name; expected embed,"
                            + " h{i}.ln_1, h{i}.attn.q, h{i}.attn.k, h{i}.attn.v, h{i}.attn, h{i}.ln_2, h{i}.mlp.c_fc, h{i}.mlp,"
                            + " h{i}.out or ln_f");
        }
    }

    @Test
    void aProbeOfABlockBeyondNLayerIsRefusedNamingTheProbe() throws Exception {
        Path f = brokenProbe(10, p -> p.put("name", "h2.ln_1"));
        assertThatThrownBy(() -> GoldenLoader.load(f))
                .hasMessage(f + ": probes[10].name: probe \"h2.ln_1\" names block 2 but hparams.n_layer is 2 (blocks 0..1)");
    }

    @Test
    void aProbeNamedTwiceIsRefused() throws Exception {
        Path f = brokenProbe(1, p -> p.put("name", "embed"));
        assertThatThrownBy(() -> GoldenLoader.load(f)).hasMessage(f + ": probes[1].name: probe \"embed\" appears twice");
    }

    @Test
    void theStandardProbeListIsExactlyWhatThePackagedFilesHold() {
        for (String fixture : GoldenData.FIXTURES) {
            ActivationsGolden a = GoldenLoader.packaged(GoldenData.activationsGolden(fixture), ActivationsGolden.class);
            assertThat(a.probes()).extracting(ActivationsGolden.Probe::name).containsExactlyElementsOf(ProbeGrammar.standard(a.hparams()));
        }
    }

    @Test
    void beamScoresThatDoNotMatchTheSequencesAreRefused() throws Exception {
        Path f = broken(GoldenData.modelGolden("4.28.1", "odd"), r -> ((ArrayNode) r.get("beam").get(0).get("sequences_scores")).remove(0));
        assertThatThrownBy(() -> GoldenLoader.load(f))
                .hasMessage(f + ": beam[0].sequences_scores: has 3 scores for 4 sequences");
    }

    @Test
    void logitsPositionsThatDisagreeWithThePromptAreRefused() throws Exception {
        Path f = broken(GoldenData.modelGolden("4.57.6", "tiny"), r -> ((ArrayNode) r.get("logits").get(1).get("positions")).remove(0));
        assertThatThrownBy(() -> GoldenLoader.load(f)).hasMessageContaining(": logits[1].positions: has 21 entries but input_ids has 22");
    }

    @Test
    void aTokenIdOutsideTheVocabularyIsRefusedNamingItsIndex() throws Exception {
        Path f = broken(GoldenData.modelGolden("4.57.6", "tiny"), r -> ((ArrayNode) r.get("greedy").get(0).get("output_ids")).set(5, 50257));
        assertThatThrownBy(() -> GoldenLoader.load(f))
                .hasMessage(f + ": greedy[0].output_ids[5]: token id 50257 is outside the vocabulary [0, 50257)");
    }

    @Test
    void anUnknownFormatOrNonJsonIsRefusedNamingTheFile() throws Exception {
        Path unknown = dir.resolve("x.json");
        Files.writeString(unknown, "{\"format\": \"gpt3-golden/9\"}");
        Path notJson = dir.resolve("y.json");
        Files.writeString(notJson, "{\"format\": ");

        assertThatThrownBy(() -> GoldenLoader.load(unknown)).hasMessageStartingWith(unknown + ": format: unknown format \"gpt3-golden/9\"");
        assertThatThrownBy(() -> GoldenLoader.load(notJson)).hasMessageStartingWith(notJson + ": not valid JSON");
        assertThatThrownBy(() -> GoldenLoader.packaged(GoldenData.TOKENIZER_GOLDEN, ModelGolden.class))
                .hasMessage("tokenizer.golden.json: format: is gpt2-tokenizer-golden/1, expected a ModelGolden");
    }
}
