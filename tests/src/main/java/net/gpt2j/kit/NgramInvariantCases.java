package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import net.gpt2j.kit.check.CheckResult;
import net.gpt2j.kit.check.NgramInvariantCheck;
import net.gpt2j.kit.golden.ModelGolden;
import net.gpt2j.kit.golden.ModelGolden.BeamCase;
import net.gpt2j.kit.golden.ModelGolden.GreedyCase;

/**
 * The golden-free {@code no_repeat_ngram_size} cases: one per greedy or beam case of a model golden
 * that sets it. The recorded outputs cannot expose a ban that ignores the prompt (generated text
 * rarely repeats a prompt n-gram), so these cases feed the port an adversarial prompt instead: the
 * output of the file's plain greedy case (same input_ids, no processors), a run of repeats the
 * model wants to continue, and check {@link NgramInvariantCheck}'s invariant on what comes back.
 */
final class NgramInvariantCases {

    static final String KIND = "ngram_invariant";

    /** Enough steps to show a ban at work without a long run; fewer when the context is shorter. */
    static final int MAX_NEW_TOKENS = 8;

    private NgramInvariantCases() {}

    static List<GoldenCase> of(ModelGolden g, ModelSpec spec) {
        List<GoldenCase> out = new ArrayList<>();
        String version = g.recordedWith().transformers();
        for (int i = 0; i < g.greedy().size(); i++) {
            GreedyCase c = g.greedy().get(i);
            if (c.noRepeatNgramSize() != null) {
                out.add(greedy(g, spec, i, c, out.size()));
            }
        }
        for (int i = 0; i < g.beam().size(); i++) {
            BeamCase c = g.beam().get(i);
            if (c.noRepeatNgramSize() != null) {
                out.add(beam(g, spec, i, c, version, out.size()));
            }
        }
        return out;
    }

    private static GoldenCase greedy(ModelGolden g, ModelSpec spec, int i, GreedyCase c, int index) {
        int n = c.noRepeatNgramSize();
        String label = label(g, "greedy", i);
        Set<Capability> needs = EnumSet.of(Capability.GREEDY, Capability.NO_REPEAT_NGRAM);
        Optional<int[]> repetitive = plainOutput(g, c.inputIds());
        if (repetitive.isEmpty()) {
            return skipped(g, label, spec, needs, index);
        }
        int maxNew = maxNewTokens(g);
        int[] prompt = leftTruncated(repetitive.get(), g.hparams().nCtx() - maxNew);
        GreedyRequest req = new GreedyRequest(new int[][] {prompt}, new int[][] {GreedyRequest.ones(prompt.length)}, maxNew,
                OptionalInt.of(n), OptionalDouble.empty(), OptionalInt.empty(), GoldenCases.GPT2_END);
        return new GoldenCase(KIND, label, GoldenCase.uri(KIND, g.name(), index), spec, needs, null, port -> {
            int[][] rows = port.greedy(req);
            if (rows == null || rows.length != 1) {
                return CheckResult.notOk("ngram_invariant NOT OK: the port's greedy returned "
                        + (rows == null ? "null" : rows.length + " rows") + " for a batch of one");
            }
            return NgramInvariantCheck.greedy(prompt, rows[0], n, maxNew, NgramInvariantCheck.GPT2_END);
        });
    }

    private static GoldenCase beam(ModelGolden g, ModelSpec spec, int i, BeamCase c, String version, int index) {
        int n = c.noRepeatNgramSize();
        String label = label(g, "beam", i);
        Set<Capability> needs = EnumSet.of(GoldenCases.beamCapability(version), Capability.NO_REPEAT_NGRAM);
        if (c.eosTokenId() != null) {
            needs.add(Capability.EOS_STOP);
        }
        Optional<int[]> repetitive = plainOutput(g, c.inputIds());
        if (repetitive.isEmpty()) {
            return skipped(g, label, spec, needs, index);
        }
        int maxNew = maxNewTokens(g);
        int[] prompt = leftTruncated(repetitive.get(), g.hparams().nCtx() - maxNew);
        OptionalInt eos = c.eosTokenId() == null ? OptionalInt.empty() : OptionalInt.of(c.eosTokenId());
        BeamRequest req = new BeamRequest(prompt, maxNew, c.numBeams(), c.numReturnSequences(), c.lengthPenalty(),
                c.earlyStopping(), OptionalInt.of(n), eos, GoldenCases.GPT2_END, version);
        // with no eos_token_id HF's GPT-2 default (50256) still ends a hypothesis, and pads after it with 50256
        int end = eos.orElse(NgramInvariantCheck.GPT2_END);
        return new GoldenCase(KIND, label, GoldenCase.uri(KIND, g.name(), index), spec, needs, null,
                port -> NgramInvariantCheck.beam(prompt, port.beam(req), n, maxNew, c.numReturnSequences(), end));
    }

    /** The output of the file's greedy case with the same prompt and no processors at all. */
    static Optional<int[]> plainOutput(ModelGolden g, int[] inputIds) {
        return g.greedy().stream()
                .filter(p -> p.noRepeatNgramSize() == null && p.repetitionPenalty() == null && p.eosTokenIds() == null && p.minNewTokens() == 0
                        && Arrays.equals(p.inputIds(), inputIds))
                .findFirst().map(GreedyCase::outputIds);
    }

    static int maxNewTokens(ModelGolden g) {
        return Math.min(MAX_NEW_TOKENS, g.hparams().nCtx() - 1);
    }

    /** The last {@code maxLength} ids, so prompt + new tokens fits the context. */
    static int[] leftTruncated(int[] ids, int maxLength) {
        return ids.length <= maxLength ? ids.clone() : Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }

    private static GoldenCase skipped(ModelGolden g, String label, ModelSpec spec, Set<Capability> needs, int index) {
        return new GoldenCase(KIND, label, GoldenCase.uri(KIND, g.name(), index), spec, needs,
                "no plain greedy case (same input_ids, no no_repeat_ngram_size, repetition_penalty or eos_token_id) in "
                        + g.name() + " to build the adversarial prompt from",
                port -> CheckResult.notOk("skipped cases never run"));
    }

    private static String label(ModelGolden g, String kind, int i) {
        return g.shortName() + " \u203a " + kind + "[" + i + "] no_repeat_ngram invariant (adversarial prompt)";
    }
}
