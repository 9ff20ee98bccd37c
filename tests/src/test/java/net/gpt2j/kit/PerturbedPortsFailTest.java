package net.gpt2j.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.DynamicTestRunner.Outcome;
import net.gpt2j.kit.DynamicTestRunner.Status;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check must fail on a port that is wrong in exactly one way, and say precisely where. */
class PerturbedPortsFailTest {

    private static final ModelGolden TINY = GoldenLoader.packaged(GoldenData.modelGolden("4.57.6", "tiny"), ModelGolden.class);
    private static final ModelGolden TINY_428 = GoldenLoader.packaged(GoldenData.modelGolden("4.28.1", "tiny"), ModelGolden.class);

    private static Outcome run(UnaryOperator<Gpt2Port> perturb, String file, String caseSuffix) {
        PortProvider base = ReplayPort.provider();
        PortProvider perturbed = spec -> perturb.apply(base.portFor(spec));
        return DynamicTestRunner.one(GoldenTests.forProvider(perturbed).withTolerances(Tolerances.defaults())
                .of(GoldenLoader.packaged(file)), caseSuffix);
    }

    private static String v(double d) {
        return String.format(Locale.ROOT, "%.7g", d);
    }

    @Test
    void logitsShiftedAtOnePositionFailNamingPositionTokenBothValuesAndMaxDiff() {
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public float[][][] logits(int[][] ids, int[][] mask) {
                float[][][] l = inner.logits(ids, mask);
                float[] row = l[0][2];
                for (int i = 0; i < row.length; i++) {
                    row[i] += 1e-3f;
                }
                return l;
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "logits[0] prompt_len=4");

        ModelGolden.IdLogit top = TINY.logits().get(0).positions().get(2).top().get(0);
        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("logits NOT OK: 18 of ")
                .contains("first: position 2, token " + top.id() + ": expected " + v(top.logit()) + ", got "
                        + v((float) ((float) top.logit() + 1e-3f)))
                .contains("max |diff| 1.0e-03")
                .contains("logsumexp at position 2")
                .doesNotContain("position 1,").doesNotContain("position 3,");
    }

    @Test
    void greedyTokenChangedAtStepFiveFailsNamingStepBothTokensAndNotANearTie() {
        ModelGolden.GreedyCase c = TINY.greedy().get(0); // min_top2_gap 0.056: far from a tie
        int at = c.inputIds().length + 5;
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public int[][] greedy(GreedyRequest r) {
                int[][] out = inner.greedy(r);
                out[0][at] = 42;
                return out;
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "greedy[0] max_new_tokens=24");

        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("greedy NOT OK: first divergence at step 5 (position " + at + "): expected token "
                + c.outputIds()[at] + ", got 42")
                .contains("not a near-tie").contains("5.6e-02").contains("so a real bug: in the forward pass if");
    }

    @Test
    void aDivergenceWhereTheGoldenCameCloseToATieIsCalledANearTie() {
        ModelGolden.GreedyCase c = TINY.greedy().get(13); // min_top2_gap 5.4e-4 < 10 x 1e-4
        assertThat(c.minTop2Gap()).isLessThan(1e-3);
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public int[][] greedy(GreedyRequest r) {
                int[][] out = inner.greedy(r);
                out[0][out[0].length - 1] = 7;
                return out;
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "greedy[13] max_new_tokens=24 no_repeat_ngram_size=2");

        assertThat(o.message()).contains("first divergence at step 23").contains("near-tie: the golden's smallest top-2 gap")
                .contains("5.4e-04").contains("below 1.0e-03").contains("check the logits first");
    }

    @Test
    void beamScoresScaledFailWithTheRelativeDiffAndTheLengthNormalisationHint() {
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public BeamResult beam(BeamRequest r) {
                BeamResult b = inner.beam(r);
                return new BeamResult(b.sequences(), Arrays.stream(b.scores()).map(s -> s * 1.01).toArray());
            }
        }, GoldenData.modelGolden("4.28.1", "tiny"), "beam[3] num_beams=3 length_penalty=2.0 early_stopping=true");

        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("beam scores NOT OK: 3 of 3 scores differ by more than 1.0e-04 relative")
                .contains("max relative diff 1.0e-02")
                .containsPattern("at sequence [0-2]: expected -0\\.20\\d+, got -0\\.20\\d+")
                .contains("transformers 4.28.1");
    }

    @Test
    void aChangedBeamSequenceFailsNamingTheSequenceAndStep() {
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public BeamResult beam(BeamRequest r) {
                BeamResult b = inner.beam(r);
                b.sequences()[1][r.ids().length + 3] = 99;
                return b;
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "beam[0] num_beams=4");

        assertThat(o.message()).startsWith("beam sequence 1 NOT OK: first divergence at step 3")
                .contains("got 99").contains("the golden records no top-2 gap here");
    }

    @Test
    void warperKeepingOneIdTooManyFails() {
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public WarpedDistribution warp(int[] ids, double t, int k, double pp) {
                WarpedDistribution w = inner.warp(ids, t, k, pp);
                return new WarpedDistribution(w.kept() + 1, w.topIds(), w.topProbs());
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "warpers[0] temperature=0.7 top_k=50 top_p=1.0");

        assertThat(o.message()).isEqualTo("warpers NOT OK: expected 50 ids kept, got 51");
    }

    @Test
    void perplexityAndSequenceLogprobOffByMoreThanTheRelativeToleranceFail() {
        Outcome ppl = run(p -> new ForwardingPort(p) {
            @Override
            public double perplexity(String text, int m, int s) {
                return inner.perplexity(text, m, s) * (1 + 2e-4);
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "perplexity[0] max_length=64 stride=32");
        Outcome lp = run(p -> new ForwardingPort(p) {
            @Override
            public double sequenceLogprob(int[] prompt, int[] output) {
                return inner.sequenceLogprob(prompt, output) + 0.5;
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "sequence_logprob[0] greedy[0] output");

        assertThat(ppl.message()).startsWith("perplexity NOT OK: expected 101858.5").contains("relative diff 2.0e-04");
        assertThat(lp.message()).startsWith("sequence log-prob NOT OK: expected -137.8300, got -137.3300");
    }

    @Test
    void aBatchRowThatDivergesIsNamed() {
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public int[][] greedy(GreedyRequest r) {
                int[][] out = inner.greedy(r);
                if (r.isBatch()) {
                    out[2][r.ids()[2].length] = 5;
                }
                return out;
            }
        }, GoldenData.modelGolden("4.57.6", "tiny"), "batch_greedy[0] 3 rows, max_new_tokens=12");

        assertThat(o.message()).startsWith("batch_greedy row 2 NOT OK: first divergence at step 0 (position 22)")
                .contains("got 5");
    }

    @Test
    void aTokenizerIdOffFailsNamingThePositionAndText() {
        Outcome o = run(p -> new ForwardingPort(p) {
            @Override
            public int[] tokenize(String text) {
                int[] ids = inner.tokenize(text);
                ids[ids.length - 1]++;
                return ids;
            }
        }, GoldenData.TOKENIZER_GOLDEN, "tokenizer[7] \"Every effort moves you\"");

        assertThat(o.message()).startsWith("tokenize NOT OK: first divergence at step 3 (position 3): expected token 345, got 346")
                .contains("for \"Every effort moves you\"");
    }

    private static Outcome probesPerturbed(String probe, int pos, int col, float delta) {
        return run(p -> new ForwardingPort(p) {
            @Override
            public Optional<ProbeRun> probes(int[] ids) {
                Map<String, float[]> m = new LinkedHashMap<>(inner.probes(ids).orElseThrow().activations());
                float[] a = m.get(probe).clone();
                int width = a.length / ids.length;
                a[pos * width + col] += delta;
                m.put(probe, a);
                return Optional.of(new ProbeRun(m));
            }
        }, GoldenData.activationsGolden("tiny"), "activations[0] 22 positions, 20 probes");
    }

    @Test
    void aPerturbedQueryProbeIsNamedFirstWithTheCAttnHintAndATable() {
        Outcome o = probesPerturbed("h0.attn.q", 3, 17, 1e-3f);

        assertThat(o.status()).isEqualTo(Status.FAILED);
        assertThat(o.message()).startsWith("activations NOT OK: first divergent probe h0.attn.q (max |diff| 1.0e-03 at position 3, column 17")
                .contains("1 of 20 reported probes out of 2.0e-05 abs + 1.0e-05 rel")
                .contains("likely cause (a hint, not a certainty): the c_attn split or transpose");
        assertThat(o.message().lines()).anyMatch(l -> l.matches("\\s+h0\\.attn\\.q\\s+22x64\\s+1\\.0e-03\\s+\\[3, 17\\]\\s+NOT OK"))
                .anyMatch(l -> l.matches("\\s+h0\\.ln_1\\s+22x64\\s+0\\.0e\\+00\\s+.*OK"));
    }

    @Test
    void eachProbeOfTheSymptomTableGetsItsOwnHint() {
        assertThat(probesPerturbed("h0.mlp", 0, 0, 1e-3f).message()).contains("first divergent probe h0.mlp ").contains("GELU variant");
        assertThat(probesPerturbed("h0.ln_1", 5, 1, 1e-3f).message()).contains("first divergent probe h0.ln_1 ")
                .contains("LayerNorm slightly off on a matching input: the eps");
        assertThat(probesPerturbed("h0.ln_1", 5, 1, 0.5f).message()).contains("LayerNorm far off");
        assertThat(probesPerturbed("embed", 2, 0, 1e-3f).message()).contains("first divergent probe embed ")
                .contains("position embeddings");
        assertThat(probesPerturbed("h1.attn", 0, 3, 1e-3f).message()).contains("first divergent probe h1.attn ")
                .contains("1/sqrt(head_dim) scaling, the causal mask");
        assertThat(probesPerturbed("h0.mlp.c_fc", 0, 200, 1e-3f).message()).contains("mlp c_fc's layout");
        assertThat(probesPerturbed("h1.ln_1", 0, 0, 1e-3f).message()).contains("block 1's ln_1");
        assertThat(probesPerturbed("ln_f", 0, 0, 1e-3f).message()).contains("the final LayerNorm (ln_f)");
    }

    private static Outcome probesEdited(java.util.function.Consumer<Map<String, float[]>> edit) {
        return run(p -> new ForwardingPort(p) {
            @Override
            public Optional<ProbeRun> probes(int[] ids) {
                Map<String, float[]> m = new LinkedHashMap<>(inner.probes(ids).orElseThrow().activations());
                edit.accept(m);
                return Optional.of(new ProbeRun(m));
            }
        }, GoldenData.activationsGolden("tiny"), "activations[0] 22 positions, 20 probes");
    }

    @Test
    void aPortReportingOnlySomeProbesIsJudgedOnThoseAndListsTheOthersAsNotReported() {
        // a port that keeps q and c_fc in local buffers (issue 11, item 3): right on what it reports
        Outcome o = probesEdited(m -> {
            m.remove("h0.attn.q");
            m.remove("h1.mlp.c_fc");
        });

        assertThat(o.status()).isEqualTo(Status.PASSED);
        assertThat(o.message()).isEmpty();
        Outcome shown = probesEdited(m -> {
            m.remove("h0.attn.q");
            m.remove("h1.mlp.c_fc");
            float[] mlp = m.get("h1.mlp").clone();
            mlp[5] += 1e-2f;
            m.put("h1.mlp", mlp);
        });
        assertThat(shown.status()).isEqualTo(Status.FAILED);
        assertThat(shown.message().lines().findFirst().orElseThrow())
                .startsWith("activations NOT OK: first divergent probe h1.mlp")
                .endsWith("judged on the 18 reported probes, 2 of 20 not reported: h0.attn.q, h1.mlp.c_fc");
        assertThat(shown.message()).as("the gap before h1.mlp is said, not guessed")
                .contains("somewhere between h1.ln_2 and h1.mlp; the probes in between were not reported");
        assertThat(shown.message().lines()).as("the report table is kept")
                .anyMatch(l -> l.matches("\\s+h0\\.attn\\.q\\s+22x64\\s+-\\s+-\\s+not reported"))
                .anyMatch(l -> l.matches("\\s+h1\\.mlp\\.c_fc\\s+22x256\\s+-\\s+-\\s+not reported"))
                .anyMatch(l -> l.matches("\\s+h0\\.attn\\.k\\s+22x64\\s+0\\.0e\\+00\\s+.*OK"));
    }

    @Test
    void aMissingProbeAndADivergentOneAreBothReported() {
        Outcome o = probesEdited(m -> {
            m.remove("ln_f");
            float[] q = m.get("h0.attn.q").clone();
            q[3 * 64 + 17] += 1e-3f;
            m.put("h0.attn.q", q);
        });

        assertThat(o.message()).startsWith("activations NOT OK: first divergent probe h0.attn.q (max |diff| 1.0e-03 at position 3,"
                + " column 17").contains("1 of 19 reported probes out of 2.0e-05 abs + 1.0e-05 rel; judged on the 19 reported probes,"
                + " 1 of 20 not reported: ln_f\n").contains("the c_attn split or transpose");
    }

    @Test
    void aPortDeclaringProbesThatReportsNoneFails() {
        Outcome o = probesEdited(Map::clear);

        assertThat(o.message()).startsWith("activations NOT OK: the port reported none of the 20 probes");
    }

    @Test
    void aPortReportingEveryProbeExactlyPasses() {
        Outcome o = probesEdited(m -> { });

        assertThat(o.status()).isEqualTo(Status.PASSED);
    }

    @Test
    void aLooserLogitsToleranceFromASystemPropertyLetsTheSameShiftPass() {
        System.setProperty("gpt2.tolerance.logits", "2e-3");
        try {
            PortProvider base = ReplayPort.provider();
            Outcome o = DynamicTestRunner.one(GoldenTests.forProvider(spec -> new ForwardingPort(base.portFor(spec)) {
                @Override
                public float[][][] logits(int[][] ids, int[][] mask) {
                    float[][][] l = inner.logits(ids, mask);
                    for (int i = 0; i < l[0][2].length; i++) {
                        l[0][2][i] += 1e-3f;
                    }
                    return l;
                }
            }).of(TINY), "logits[0] prompt_len=4");
            assertThat(o.status()).isEqualTo(Status.PASSED);
        } finally {
            System.clearProperty("gpt2.tolerance.logits");
        }
    }

    @Test
    void aPortLackingOnlyLegacyBeamScoringSkips428BeamsButRuns457Beams() {
        PortProvider base = ReplayPort.provider();
        PortProvider noLegacy = spec -> new ForwardingPort(base.portFor(spec)) {
            @Override
            public java.util.Set<Capability> capabilities() {
                java.util.Set<Capability> s = java.util.EnumSet.copyOf(inner.capabilities());
                s.remove(Capability.BEAM_LEGACY_SCORING);
                return s;
            }
        };
        Outcome old = DynamicTestRunner.one(GoldenTests.forProvider(noLegacy).of(TINY_428), "beam[0] num_beams=4");
        Outcome current = DynamicTestRunner.one(GoldenTests.forProvider(noLegacy).of(TINY), "beam[0] num_beams=4");

        assertThat(old.status()).isEqualTo(Status.SKIPPED);
        assertThat(old.message()).isEqualTo("the port does not declare BEAM_LEGACY_SCORING");
        assertThat(current.status()).isEqualTo(Status.PASSED);
    }

    @Test
    void aCheckpointWhoseHparamsLackAKeyIsRefusedNamingItNotReadAsZero(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hparams.json"), "{\"n_vocab\": 50257, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": 12}");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GoldenTests.forProvider(spec -> null).withCheckpoint(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read " + dir.resolve("hparams.json") + ": \"n_ctx\" must be an integer, got nothing (the key is missing)");
    }

    @Test
    void realWeightCasesRunOnlyForTheModelOfTheGivenCheckpoint(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hparams.json"),
                "{\"n_vocab\": 50257, \"n_ctx\": 1024, \"n_embd\": 768, \"n_head\": 12, \"n_layer\": 12}");
        int[] expected = {464, 3290, 373, 1043, 287, 257, 2214, 1474, 262, 16246, 286, 2688, 290, 2688, 27262, 13, 198, 198, 464, 3290};
        PortProvider real = spec -> new Gpt2Port() {
            @Override
            public java.util.Set<Capability> capabilities() {
                return java.util.EnumSet.of(Capability.GREEDY);
            }

            @Override
            public int[][] greedy(GreedyRequest r) {
                assertThat(spec.source()).isEqualTo(ModelSpec.Source.CHECKPOINT);
                assertThat(r.maxNewTokens()).isEqualTo(18); // max_length 20 minus the 2-token prompt
                return new int[][] {expected};
            }
        };
        var tests = GoldenTests.forProvider(real).withCheckpoint(dir);
        Outcome greedy124 = DynamicTestRunner.one(tests.of(GoldenLoader.packaged(GoldenLoader.REAL_GOLDEN)), "greedy[0] 124M");
        Outcome greedy1558 = DynamicTestRunner.one(tests.of(GoldenLoader.packaged(GoldenLoader.REAL_GOLDEN)), "greedy[4] 1558M");
        Outcome noCheckpoint = DynamicTestRunner.one(GoldenTests.forProvider(real).withCheckpoint(null)
                .of(GoldenLoader.packaged(GoldenLoader.REAL_GOLDEN)), "greedy[0] 124M");

        assertThat(greedy124.status()).isEqualTo(Status.PASSED);
        // a hub folder of the same model (config.json, as gpt2 convert writes it) stands for the release: same cases
        Path hub = Files.createDirectories(dir.resolve("hub"));
        net.gpt2j.format.HubConfig.openAi(new net.gpt2j.format.Hparams(50257, 1024, 768, 12, 12)).write(hub);
        Outcome fromHub = DynamicTestRunner.one(GoldenTests.forProvider(spec -> {
            assertThat(spec.checkpointIsHubFolder()).isTrue();
            return real.portFor(spec);
        }).withCheckpoint(hub).of(GoldenLoader.packaged(GoldenLoader.REAL_GOLDEN)), "greedy[0] 124M");
        assertThat(fromHub.status()).as(fromHub.message()).isEqualTo(Status.PASSED);
        assertThat(greedy1558.message()).isEqualTo("needs the 1558M checkpoint; gpt2.checkpoint is 124M");
        assertThat(noCheckpoint.message()).isEqualTo("needs OpenAI's real 124M weights: run with -Dgpt2.checkpoint=DIR, OpenAI's release folder or a hub folder of it");
    }
}
