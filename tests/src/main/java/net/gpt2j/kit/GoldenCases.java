package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import net.gpt2j.golden.HfBeamScoring;
import net.gpt2j.kit.check.ActivationCheck;
import net.gpt2j.kit.check.BeamCheck;
import net.gpt2j.kit.check.CheckResult;
import net.gpt2j.kit.check.LogitsCheck;
import net.gpt2j.kit.check.RealLogitsCheck;
import net.gpt2j.kit.check.ScalarCheck;
import net.gpt2j.kit.check.SequenceCheck;
import net.gpt2j.kit.check.TokenizerCheck;
import net.gpt2j.kit.check.WarperCheck;
import net.gpt2j.kit.golden.ActivationsGolden;
import net.gpt2j.kit.golden.GoldenFile;
import net.gpt2j.kit.golden.ModelGolden;
import net.gpt2j.kit.golden.ModelGolden.BatchGreedyCase;
import net.gpt2j.kit.golden.ModelGolden.BeamCase;
import net.gpt2j.kit.golden.ModelGolden.GreedyCase;
import net.gpt2j.kit.golden.RealGolden;
import net.gpt2j.kit.golden.TokenizerGolden;

/** Turns every case of a golden file into a {@link GoldenCase}: which call, which check, which capabilities. */
final class GoldenCases {

    /** HF's {@code pad_token_id} and default {@code eos_token_id} for GPT-2. */
    static final int GPT2_END = net.gpt2j.format.Gpt2Constants.END_OF_TEXT;

    /** The beam scoring convention the real-weight notebooks used (FORMAT.md: the reference notebooks ran 4.28.1). */
    static final String REAL_BEAM_HF_VERSION = "4.28.1";

    private final Tolerances tol;
    private final RealCheckpoint checkpoint;

    GoldenCases(Tolerances tol, RealCheckpoint checkpoint) {
        this.tol = tol;
        this.checkpoint = checkpoint;
    }

    List<GoldenCase> of(GoldenFile file) {
        // Java 17: no pattern matching in switch yet
        if (file instanceof ModelGolden m) {
            return model(m);
        } else if (file instanceof TokenizerGolden t) {
            return tokenizer(t);
        } else if (file instanceof ActivationsGolden a) {
            return activations(a);
        }
        return real((RealGolden) file);
    }

    /**
     * Transformers 4.36 moved beam length normalisation from prompt + generated to generated tokens only
     * (the project's one rule: {@link HfBeamScoring}); a version the rule refuses is taken as current.
     */
    static Capability beamCapability(String hfVersion) {
        try {
            return HfBeamScoring.forVersion(hfVersion) == HfBeamScoring.PROMPT_PLUS_GENERATED
                    ? Capability.BEAM_LEGACY_SCORING : Capability.BEAM;
        } catch (IllegalArgumentException e) {
            return Capability.BEAM;
        }
    }

    private List<GoldenCase> model(ModelGolden g) {
        List<GoldenCase> out = new ArrayList<>();
        ModelSpec spec = ModelSpec.synthetic(g.fixture(), g.seed(), g.hparams());
        String file = g.shortName();
        String version = g.recordedWith().transformers();
        for (int i = 0; i < g.logits().size(); i++) {
            ModelGolden.LogitsCase c = g.logits().get(i);
            out.add(new GoldenCase("logits", name(file, "logits", i, "prompt_len=" + c.inputIds().length),
                    GoldenCase.uri("logits", g.name(), i), spec, EnumSet.of(Capability.LOGITS), null,
                    port -> LogitsCheck.check(c, single(port.logits(new int[][] {c.inputIds()},
                            new int[][] {GreedyRequest.ones(c.inputIds().length)}), "logits"), tol.logitsAbs())));
        }
        for (int i = 0; i < g.greedy().size(); i++) {
            GreedyCase c = g.greedy().get(i);
            String opts = "max_new_tokens=" + c.maxNewTokens()
                    + options(c.minNewTokens(), c.noRepeatNgramSize(), c.repetitionPenalty(), c.eosTokenIds());
            GreedyRequest req = new GreedyRequest(new int[][] {c.inputIds()}, new int[][] {GreedyRequest.ones(c.inputIds().length)},
                    c.maxNewTokens(), optInt(c.noRepeatNgramSize()), optDouble(c.repetitionPenalty()), c.eosTokenIds(), GPT2_END,
                    c.minNewTokens());
            out.add(new GoldenCase("greedy", name(file, "greedy", i, opts), GoldenCase.uri("greedy", g.name(), i), spec,
                    needs(Capability.GREEDY, c.minNewTokens(), c.noRepeatNgramSize(), c.repetitionPenalty(), c.eosTokenIds()), null,
                    port -> SequenceCheck.compare("greedy", c.outputIds(), single(port.greedy(req), "greedy"),
                            c.inputIds().length, OptionalDouble.of(c.minTop2Gap()), tol)));
            if (c.sequenceLogprob() != null) {
                out.add(new GoldenCase("sequence_logprob", name(file, "sequence_logprob", i, "greedy[" + i + "] output"),
                        GoldenCase.uri("sequence_logprob", g.name(), i), spec, EnumSet.of(Capability.SEQUENCE_LOGPROB), null,
                        port -> ScalarCheck.relative("sequence log-prob", c.sequenceLogprob(),
                                port.sequenceLogprob(c.inputIds(), c.outputIds()), tol.sequenceLogprobRel())));
            }
        }
        for (int i = 0; i < g.beam().size(); i++) {
            BeamCase c = g.beam().get(i);
            String opts = "num_beams=" + c.numBeams()
                    + (c.lengthPenalty() != 1.0 ? " length_penalty=" + c.lengthPenalty() : "")
                    + (c.earlyStopping() != EarlyStopping.FALSE ? " early_stopping=" + c.earlyStopping().name().toLowerCase(Locale.ROOT) : "")
                    + options(c.minNewTokens(), c.noRepeatNgramSize(), null, c.eosTokenIds());
            BeamRequest req = new BeamRequest(c.inputIds(), c.maxNewTokens(), c.numBeams(), c.numReturnSequences(),
                    c.lengthPenalty(), c.earlyStopping(), optInt(c.noRepeatNgramSize()), c.eosTokenIds(), GPT2_END, version,
                    c.minNewTokens());
            out.add(new GoldenCase("beam", name(file, "beam", i, opts), GoldenCase.uri("beam", g.name(), i), spec,
                    needs(beamCapability(version), c.minNewTokens(), c.noRepeatNgramSize(), null, c.eosTokenIds()), null,
                    port -> BeamCheck.check(c, port.beam(req), version, tol)));
        }
        for (int i = 0; i < g.batchGreedy().size(); i++) {
            BatchGreedyCase c = g.batchGreedy().get(i);
            String opts = c.inputIds().length + " rows, max_new_tokens=" + c.maxNewTokens()
                    + options(c.minNewTokens(), c.noRepeatNgramSize(), c.repetitionPenalty(), c.eosTokenIds());
            GreedyRequest req = new GreedyRequest(c.inputIds(), c.attentionMask(), c.maxNewTokens(),
                    optInt(c.noRepeatNgramSize()), optDouble(c.repetitionPenalty()), c.eosTokenIds(), c.padTokenId(), c.minNewTokens());
            Set<Capability> needs = needs(Capability.GREEDY, c.minNewTokens(), c.noRepeatNgramSize(), c.repetitionPenalty(),
                    c.eosTokenIds());
            needs.add(Capability.BATCH_PADDING);
            out.add(new GoldenCase("batch_greedy", name(file, "batch_greedy", i, opts), GoldenCase.uri("batch_greedy", g.name(), i),
                    spec, needs, null, port -> batch(c, port.greedy(req))));
        }
        for (int i = 0; i < g.warpers().size(); i++) {
            ModelGolden.WarperCase c = g.warpers().get(i);
            String opts = "temperature=" + c.temperature() + " top_k=" + c.topK() + " top_p=" + c.topP();
            out.add(new GoldenCase("warpers", name(file, "warpers", i, opts), GoldenCase.uri("warpers", g.name(), i), spec,
                    EnumSet.of(Capability.WARPERS), null,
                    port -> WarperCheck.check(c, port.warp(c.inputIds(), c.temperature(), c.topK(), c.topP()), tol.warperProbAbs())));
        }
        for (int i = 0; i < g.perplexity().size(); i++) {
            ModelGolden.PerplexityCase c = g.perplexity().get(i);
            out.add(new GoldenCase("perplexity", name(file, "perplexity", i, "max_length=" + c.maxLength() + " stride=" + c.stride()),
                    GoldenCase.uri("perplexity", g.name(), i), spec, EnumSet.of(Capability.PERPLEXITY), null,
                    port -> ScalarCheck.relative("perplexity", c.ppl(), port.perplexity(c.text(), c.maxLength(), c.stride()),
                            tol.perplexityRel())));
        }
        // golden-free: the recorded cases above cannot show a no-repeat ban that ignores the prompt
        out.addAll(NgramInvariantCases.of(g, spec));
        return out;
    }

    private CheckResult batch(BatchGreedyCase c, int[][] actual) {
        if (actual.length != c.outputIds().length) {
            return CheckResult.notOk("batch_greedy NOT OK: expected " + c.outputIds().length + " rows, the port returned " + actual.length);
        }
        CheckResult all = null;
        for (int r = 0; r < actual.length; r++) {
            CheckResult row = SequenceCheck.compare("batch_greedy row " + r, c.outputIds()[r], actual[r], c.inputIds()[r].length,
                    OptionalDouble.of(c.minTop2Gap()), tol);
            if (!row.ok()) {
                return row;
            }
            all = all == null ? row : all.and(row);
        }
        return all;
    }

    private List<GoldenCase> tokenizer(TokenizerGolden t) {
        List<GoldenCase> out = new ArrayList<>();
        ModelSpec spec = ModelSpec.tokenizerOnly();
        for (int i = 0; i < t.cases().size(); i++) {
            TokenizerGolden.TokenizerCase c = t.cases().get(i);
            out.add(new GoldenCase("tokenizer", name(t.shortName(), "tokenizer", i, quote(c.text())),
                    GoldenCase.uri("tokenizer", t.name(), i), spec, EnumSet.of(Capability.TOKENIZER), null,
                    port -> TokenizerCheck.ids(c.text(), c.ids(), port.tokenize(c.text()))));
        }
        // decode is judged on the golden's ids on its own, so a port whose encoder is wrong still learns
        // whether its decoder is right (and the reverse): one case each, never one hiding the other
        for (int i = 0; i < t.cases().size(); i++) {
            TokenizerGolden.TokenizerCase c = t.cases().get(i);
            if (c.decoded() != null) {
                out.add(new GoldenCase("decode", name(t.shortName(), "decode", i, quote(c.decoded())),
                        GoldenCase.uri("decode", t.name(), i), spec, EnumSet.of(Capability.TOKENIZER), null,
                        port -> TokenizerCheck.decoded(c.decoded(), port.decode(c.ids()))));
            }
        }
        return out;
    }

    private List<GoldenCase> activations(ActivationsGolden a) {
        ModelSpec spec = ModelSpec.synthetic(a.fixture(), a.seed(), a.hparams());
        return List.of(new GoldenCase("activations", name(a.shortName(), "activations", 0,
                a.inputIds().length + " positions, " + a.probes().size() + " probes"), GoldenCase.uri("activations", a.name(), 0),
                spec, EnumSet.of(Capability.PROBES), null,
                port -> port.probes(a.inputIds())
                        .map(run -> ActivationCheck.check(a, run, tol))
                        .orElse(CheckResult.notOk("activations NOT OK: the port declares PROBES but returned no probe run"))));
    }

    private List<GoldenCase> real(RealGolden r) {
        List<GoldenCase> out = new ArrayList<>();
        for (int i = 0; i < r.cases().size(); i++) {
            RealGolden.RealCase c = r.cases().get(i);
            String kind = "real-" + c.kind();
            String label = name(r.shortName(), c.kind(), i, c.model());
            String skip = realSkipReason(c);
            ModelSpec spec = skip == null ? checkpoint.spec() : null;
            if (c instanceof RealGolden.Generation gen) {
                    boolean beam = gen.numBeams() > 1;
                    Set<Capability> needs = needs(beam ? beamCapability(REAL_BEAM_HF_VERSION) : Capability.GREEDY,
                            gen.noRepeatNgramSize(), null, null);
                    if (gen.inputIds() == null || gen.outputIds() == null) {
                        needs.add(Capability.TOKENIZER);
                    }
                    if (gen.sequenceLogprob() != null) {
                        needs.add(Capability.SEQUENCE_LOGPROB);
                    }
                    out.add(new GoldenCase(kind, label, GoldenCase.uri(kind, r.name(), i), spec, needs, skip,
                            port -> realGeneration(gen, port)));
            } else if (c instanceof RealGolden.Logits lg) {
                    Set<Capability> needs = EnumSet.of(Capability.LOGITS);
                    if (lg.inputIds() == null) {
                        needs.add(Capability.TOKENIZER);
                    }
                    out.add(new GoldenCase(kind, label, GoldenCase.uri(kind, r.name(), i), spec, needs, skip, port -> {
                        int[] ids = lg.inputIds() != null ? lg.inputIds() : port.tokenize(lg.text());
                        return RealLogitsCheck.check(lg, single(port.logits(new int[][] {ids},
                                new int[][] {GreedyRequest.ones(ids.length)}), "logits"));
                    }));
            } else {
                RealGolden.Perplexity p = (RealGolden.Perplexity) c;
                out.add(new GoldenCase(kind, label, GoldenCase.uri(kind, r.name(), i), spec, EnumSet.of(Capability.PERPLEXITY),
                        skip != null ? skip : "needs " + (p.needs() == null ? "a data set" : p.needs()) + ", which the kit does not ship",
                        port -> CheckResult.notOk("real perplexity cases are always skipped")));
            }
        }
        return out;
    }

    private String realSkipReason(RealGolden.RealCase c) {
        if (checkpoint == null) {
            return "needs OpenAI's real " + c.model() + " weights: run with -D" + RealCheckpoint.PROPERTY + "=DIR, OpenAI's release folder or a hub folder of it";
        }
        if (!checkpoint.modelName().equals(c.model())) {
            return "needs the " + c.model() + " checkpoint; " + RealCheckpoint.PROPERTY + " is " + checkpoint.modelName();
        }
        return null;
    }

    private CheckResult realGeneration(RealGolden.Generation gen, Gpt2Port port) {
        int[] prompt = gen.inputIds() != null ? gen.inputIds() : port.tokenize(gen.text());
        int maxNew = gen.maxNewTokens() != null ? gen.maxNewTokens() : gen.maxLength() - prompt.length;
        int[] output;
        if (gen.numBeams() > 1) {
            output = port.beam(new BeamRequest(prompt, maxNew, gen.numBeams(), 1, 1.0, EarlyStopping.FALSE,
                    optInt(gen.noRepeatNgramSize()), OptionalInt.empty(), GPT2_END, REAL_BEAM_HF_VERSION)).sequences()[0];
        } else {
            output = single(port.greedy(new GreedyRequest(new int[][] {prompt}, new int[][] {GreedyRequest.ones(prompt.length)},
                    maxNew, optInt(gen.noRepeatNgramSize()), OptionalDouble.empty(), OptionalInt.empty(), GPT2_END)), "greedy");
        }
        CheckResult r = gen.outputIds() != null
                ? SequenceCheck.compare(gen.kind(), gen.outputIds(), output, prompt.length, OptionalDouble.empty(), tol)
                : TokenizerCheck.decoded(gen.outputText(), port.decode(output));
        if (r.ok() && gen.sequenceLogprob() != null) {
            r = r.and(ScalarCheck.relative("sequence log-prob", gen.sequenceLogprob(), port.sequenceLogprob(prompt, output),
                    tol.realRel()));
        }
        return r;
    }

    private static <T> T single(T[] batch, String call) {
        if (batch == null || batch.length != 1) {
            throw new IllegalStateException("the port's " + call + " returned " + (batch == null ? "null" : batch.length + " rows")
                    + " for a batch of one");
        }
        return batch[0];
    }

    private static String name(String file, String kind, int index, String detail) {
        return file + " \u203a " + kind + "[" + index + "]" + (detail.isEmpty() ? "" : " " + detail);
    }

    private static String options(int minNewTokens, Integer noRepeat, Double repetitionPenalty, int[] eos) {
        return (minNewTokens > 0 ? " min_new_tokens=" + minNewTokens : "")
                + (noRepeat != null ? " no_repeat_ngram_size=" + noRepeat : "")
                + (repetitionPenalty != null ? " repetition_penalty=" + repetitionPenalty : "")
                + (eos == null ? "" : " eos_token_id=" + (eos.length == 1 ? String.valueOf(eos[0])
                        : java.util.Arrays.toString(eos).replace(" ", "")));
    }

    private static Set<Capability> needs(Capability base, int minNewTokens, Integer noRepeat, Double repetitionPenalty, int[] eos) {
        Set<Capability> s = needs(base, noRepeat, repetitionPenalty, eos == null ? null : eos[0]);
        if (minNewTokens > 0) {
            s.add(Capability.MIN_NEW_TOKENS);
        }
        if (eos != null && eos.length > 1) {
            s.add(Capability.EOS_TOKEN_LIST);
        }
        return s;
    }

    private static Set<Capability> needs(Capability base, Integer noRepeat, Double repetitionPenalty, Integer eos) {
        Set<Capability> s = EnumSet.of(base);
        if (noRepeat != null) {
            s.add(Capability.NO_REPEAT_NGRAM);
        }
        if (repetitionPenalty != null) {
            s.add(Capability.REPETITION_PENALTY);
        }
        if (eos != null) {
            s.add(Capability.EOS_STOP);
        }
        return s;
    }

    private static String quote(String text) {
        String s = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }

    private static OptionalInt optInt(Integer v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    private static OptionalDouble optDouble(Double v) {
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
