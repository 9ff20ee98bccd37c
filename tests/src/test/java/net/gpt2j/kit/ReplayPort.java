package net.gpt2j.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.gpt2j.golden.GoldenData;
import net.gpt2j.kit.golden.ActivationsGolden;
import net.gpt2j.kit.golden.GoldenFile;
import net.gpt2j.kit.golden.GoldenLoader;
import net.gpt2j.kit.golden.ModelGolden;
import net.gpt2j.kit.golden.ModelGolden.IdLogit;
import net.gpt2j.kit.golden.ModelGolden.PositionLogits;
import net.gpt2j.kit.golden.TokenizerGolden;

/**
 * A port that answers from the golden data itself, so every check must pass against it. It finds
 * the case whose inputs equal the request's and returns the recorded outputs; a request no golden
 * recorded is refused, so a kit that asked for the wrong thing fails instead of passing.
 *
 * <p>One exception: the kit's golden-free n-gram invariant cases ask for no-repeat continuations of
 * prompts no golden recorded. Those requests (greedy or beam, with {@code no_repeat_ngram_size},
 * not recorded) go to an {@link NgramRulePort} whose ban is HF's; its output can never equal a
 * recorded one by accident, so a misdirected recorded case still fails.
 */
class ReplayPort implements Gpt2Port {

    private static final NgramRulePort UNRECORDED_NO_REPEAT = new NgramRulePort(true);

    private final List<ModelGolden> models;
    private final List<ActivationsGolden> activations;
    private final TokenizerGolden tokenizer;

    ReplayPort(List<ModelGolden> models, List<ActivationsGolden> activations, TokenizerGolden tokenizer) {
        this.models = models;
        this.activations = activations;
        this.tokenizer = tokenizer;
    }

    /** Replays the packaged goldens of whichever fixture the kit asks for. */
    static PortProvider provider() {
        TokenizerGolden tok = GoldenLoader.packaged(GoldenData.TOKENIZER_GOLDEN, TokenizerGolden.class);
        return spec -> {
            List<ModelGolden> models = new ArrayList<>();
            List<ActivationsGolden> acts = new ArrayList<>();
            if (spec.source() == ModelSpec.Source.SYNTHETIC) {
                List<String> names = new ArrayList<>(GoldenLoader.packagedNames());
                names.add(GoldenData.PADDED_VOCAB_GOLDEN);
                for (String name : names) {
                    GoldenFile f = GoldenLoader.packaged(name);
                    if (f instanceof ModelGolden m && m.fixture().equals(spec.name()) && m.seed() == spec.seed()) {
                        models.add(m);
                    } else if (f instanceof ActivationsGolden a && a.fixture().equals(spec.name())) {
                        acts.add(a);
                    }
                }
            }
            return new ReplayPort(models, acts, tok);
        };
    }

    @Override
    public Set<Capability> capabilities() {
        return Capability.all();
    }

    @Override
    public int[] tokenize(String text) {
        return tokenizer.cases().stream().filter(c -> c.text().equals(text)).findFirst()
                .map(TokenizerGolden.TokenizerCase::ids).orElseThrow(() -> noAnswer("tokenize " + text));
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.cases().stream().filter(c -> Arrays.equals(c.ids(), ids)).findFirst()
                .map(TokenizerGolden.TokenizerCase::decoded).orElseThrow(() -> noAnswer("decode " + Arrays.toString(ids)));
    }

    /**
     * Rebuilds each row from what the golden recorded: the top-10 and probe ids at their values, all
     * other ids at one filler value chosen so that the row's logsumexp equals the golden's; the last
     * row is the golden's full row.
     */
    @Override
    public float[][][] logits(int[][] ids, int[][] mask) {
        ModelGolden.LogitsCase c = models.get(0).logits().stream().filter(l -> Arrays.equals(l.inputIds(), ids[0]))
                .findFirst().orElseThrow(() -> noAnswer("logits " + Arrays.toString(ids[0])));
        int v = c.lastFull().length;
        float[][] rows = new float[c.positions().size()][];
        for (int p = 0; p < rows.length - 1; p++) {
            rows[p] = row(c.positions().get(p), v);
        }
        rows[rows.length - 1] = c.lastFull().clone();
        return new float[][][] {rows};
    }

    private static float[] row(PositionLogits pos, int v) {
        Map<Integer, Double> known = new LinkedHashMap<>();
        for (IdLogit pair : pos.top()) {
            known.put(pair.id(), pair.logit());
        }
        for (IdLogit pair : pos.probe()) {
            known.put(pair.id(), pair.logit());
        }
        double knownSum = known.values().stream().mapToDouble(Math::exp).sum();
        float filler = (float) Math.log((Math.exp(pos.logsumexp()) - knownSum) / (v - known.size()));
        float[] row = new float[v];
        Arrays.fill(row, filler);
        known.forEach((id, value) -> row[id] = (float) (double) value);
        return row;
    }

    @Override
    public int[][] greedy(GreedyRequest r) {
        for (ModelGolden m : models) {
            if (r.ids().length == 1) {
                for (ModelGolden.GreedyCase c : m.greedy()) {
                    if (Arrays.equals(c.inputIds(), r.ids()[0]) && c.maxNewTokens() == r.maxNewTokens()
                            && same(c.noRepeatNgramSize(), r.noRepeatNgramSize()) && same(c.repetitionPenalty(), r.repetitionPenalty())
                            && same(c.eosTokenIds(), r.eosTokenIds()) && c.minNewTokens() == r.minNewTokens()) {
                        return new int[][] {c.outputIds().clone()};
                    }
                }
            } else {
                for (ModelGolden.BatchGreedyCase c : m.batchGreedy()) {
                    if (Arrays.deepEquals(c.inputIds(), r.ids()) && Arrays.deepEquals(c.attentionMask(), r.attentionMask())
                            && c.maxNewTokens() == r.maxNewTokens()) {
                        return deepCopy(c.outputIds());
                    }
                }
            }
        }
        if (r.noRepeatNgramSize().isPresent() && !r.isBatch()) {
            return UNRECORDED_NO_REPEAT.greedy(r);
        }
        throw noAnswer("greedy " + Arrays.toString(r.ids()[0]));
    }

    @Override
    public BeamResult beam(BeamRequest r) {
        for (ModelGolden m : models) {
            if (!m.recordedWith().transformers().equals(r.hfVersion())) {
                continue;
            }
            for (ModelGolden.BeamCase c : m.beam()) {
                if (Arrays.equals(c.inputIds(), r.ids()) && c.maxNewTokens() == r.maxNewTokens() && c.numBeams() == r.numBeams()
                        && c.lengthPenalty() == r.lengthPenalty() && c.earlyStopping() == r.earlyStopping()
                        && same(c.noRepeatNgramSize(), r.noRepeatNgramSize()) && same(c.eosTokenIds(), r.eosTokenIds())
                        && c.minNewTokens() == r.minNewTokens()) {
                    return new BeamResult(deepCopy(c.sequences()), c.sequencesScores().clone());
                }
            }
        }
        if (r.noRepeatNgramSize().isPresent()) {
            return UNRECORDED_NO_REPEAT.beam(r);
        }
        throw noAnswer("beam " + Arrays.toString(r.ids()) + " for transformers " + r.hfVersion());
    }

    @Override
    public WarpedDistribution warp(int[] ids, double temperature, int topK, double topP) {
        return models.get(0).warpers().stream()
                .filter(c -> Arrays.equals(c.inputIds(), ids) && c.temperature() == temperature && c.topK() == topK && c.topP() == topP)
                .findFirst().map(c -> new WarpedDistribution(c.kept(), c.topIds().clone(), c.topProbs().clone()))
                .orElseThrow(() -> noAnswer("warp"));
    }

    @Override
    public double perplexity(String text, int maxLength, int stride) {
        return models.get(0).perplexity().stream()
                .filter(c -> c.text().equals(text) && c.maxLength() == maxLength && c.stride() == stride)
                .findFirst().map(ModelGolden.PerplexityCase::ppl).orElseThrow(() -> noAnswer("perplexity"));
    }

    @Override
    public double sequenceLogprob(int[] prompt, int[] output) {
        return models.get(0).greedy().stream()
                .filter(c -> c.sequenceLogprob() != null && Arrays.equals(c.inputIds(), prompt) && Arrays.equals(c.outputIds(), output))
                .findFirst().map(ModelGolden.GreedyCase::sequenceLogprob).orElseThrow(() -> noAnswer("sequenceLogprob"));
    }

    @Override
    public Optional<ProbeRun> probes(int[] ids) {
        return activations.stream().filter(a -> Arrays.equals(a.inputIds(), ids)).findFirst().map(a -> {
            Map<String, float[]> m = new LinkedHashMap<>();
            a.probes().forEach(p -> m.put(p.name(), p.values().clone()));
            return new ProbeRun(m);
        });
    }

    private static boolean same(Integer golden, java.util.OptionalInt requested) {
        return golden == null ? requested.isEmpty() : requested.isPresent() && requested.getAsInt() == golden;
    }

    private static boolean same(int[] golden, int[] requested) {
        return golden == null ? requested.length == 0 : Arrays.equals(golden, requested);
    }

    private static boolean same(Double golden, java.util.OptionalDouble requested) {
        return golden == null ? requested.isEmpty() : requested.isPresent() && requested.getAsDouble() == golden;
    }

    private static int[][] deepCopy(int[][] a) {
        return Arrays.stream(a).map(int[]::clone).toArray(int[][]::new);
    }

    private static IllegalStateException noAnswer(String what) {
        return new IllegalStateException("replay port: no golden recorded " + what);
    }
}
