package net.gpt2j.kit.golden;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.gpt2j.format.Hparams;
import net.gpt2j.kit.EarlyStopping;
import net.gpt2j.kit.golden.ModelGolden.BatchGreedyCase;
import net.gpt2j.kit.golden.ModelGolden.BeamCase;
import net.gpt2j.kit.golden.ModelGolden.GreedyCase;
import net.gpt2j.kit.golden.ModelGolden.IdLogit;
import net.gpt2j.kit.golden.ModelGolden.LogitsCase;
import net.gpt2j.kit.golden.ModelGolden.PerplexityCase;
import net.gpt2j.kit.golden.ModelGolden.PositionLogits;
import net.gpt2j.kit.golden.ModelGolden.WarperCase;

/** Parses {@code gpt2-golden/1}, checking that shapes agree (positions vs prompt, scores vs sequences...). */
final class ModelGoldenParser {

    /** HF's pad id for GPT-2, used where a batch case does not state it. */
    private static final int GPT2_PAD = net.gpt2j.format.Gpt2Constants.END_OF_TEXT;

    private ModelGoldenParser() {}

    private static final Set<String> TOP = Set.of("format", "recorded_with", "fixture", "seed", "hparams", "check", "logits",
            "greedy", "beam", "batch_greedy", "warpers", "perplexity");
    private static final Set<String> LOGITS = Set.of("input_ids", "positions", "last_full_f32le_b64");
    private static final Set<String> POSITION = Set.of("logsumexp", "argmax", "top", "probe");
    private static final Set<String> GREEDY = Set.of("input_ids", "max_new_tokens", "min_new_tokens", "no_repeat_ngram_size",
            "repetition_penalty", "eos_token_id", "output_ids", "min_top2_gap", "sequence_logprob");
    private static final Set<String> BEAM = Set.of("input_ids", "max_new_tokens", "min_new_tokens", "num_beams",
            "num_return_sequences", "length_penalty", "early_stopping", "no_repeat_ngram_size", "eos_token_id", "sequences",
            "sequences_scores");
    private static final Set<String> BATCH = Set.of("padding_side", "pad_token_id", "input_ids", "attention_mask",
            "max_new_tokens", "min_new_tokens", "no_repeat_ngram_size", "repetition_penalty", "eos_token_id", "output_ids",
            "min_top2_gap");
    private static final Set<String> WARPER = Set.of("input_ids", "temperature", "top_k", "top_p", "kept", "top_ids", "top_probs");
    private static final Set<String> PERPLEXITY = Set.of("text", "max_length", "stride", "ppl");

    static ModelGolden parse(String name, JsonField top) {
        top.requireOnly(TOP);
        Hparams hp = GoldenLoader.hparams(top);
        int v = hp.nVocab();
        Map<String, float[]> check = new LinkedHashMap<>();
        top.optional("check").ifPresent(c -> c.entries().forEach((k, vals) -> {
            double[] d = vals.doubleArray();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            check.put(k, f);
        }));
        return new ModelGolden(
                name,
                GoldenLoader.recordedWith(top),
                top.field("fixture").text(),
                top.field("seed").unsignedLongValue(),
                hp,
                check,
                list(top, "logits", c -> logits(c, v)),
                list(top, "greedy", c -> greedy(c, v)),
                list(top, "beam", c -> beam(c, v)),
                list(top, "batch_greedy", c -> batch(c, v)),
                list(top, "warpers", c -> warper(c, v)),
                list(top, "perplexity", ModelGoldenParser::perplexity));
    }

    /** A missing case list means "none recorded", so partial golden files load. */
    private static <T> List<T> list(JsonField top, String field, java.util.function.Function<JsonField, T> parser) {
        return top.optional(field).map(f -> f.elements().stream().map(parser).toList()).orElse(List.of());
    }

    private static LogitsCase logits(JsonField c, int nVocab) {
        c.requireOnly(LOGITS);
        int[] ids = c.field("input_ids").tokenIds(nVocab);
        List<JsonField> posFields = c.field("positions").elements();
        if (posFields.size() != ids.length) {
            throw c.field("positions").error("has " + posFields.size() + " entries but input_ids has " + ids.length);
        }
        List<PositionLogits> positions = new ArrayList<>();
        for (JsonField p : posFields) {
            p.requireOnly(POSITION);
            positions.add(new PositionLogits(
                    p.field("logsumexp").doubleValue(),
                    p.field("argmax").intValue(),
                    pairs(p.field("top"), nVocab),
                    p.optional("probe").map(f -> pairs(f, nVocab)).orElse(List.of())));
        }
        float[] last = c.optional("last_full_f32le_b64").map(f -> f.base64Floats(nVocab)).orElse(null);
        return new LogitsCase(ids, positions, last);
    }

    private static List<IdLogit> pairs(JsonField f, int nVocab) {
        List<IdLogit> out = new ArrayList<>();
        for (JsonField pair : f.elements()) {
            List<JsonField> two = pair.elements();
            if (two.size() != 2) {
                throw pair.error("expected an [id, logit] pair, got " + two.size() + " values");
            }
            int id = two.get(0).intValue();
            if (id < 0 || id >= nVocab) {
                throw two.get(0).error("token id " + id + " is outside the vocabulary [0, " + nVocab + ")");
            }
            out.add(new IdLogit(id, two.get(1).doubleValue()));
        }
        return out;
    }

    private static GreedyCase greedy(JsonField c, int nVocab) {
        c.requireOnly(GREEDY);
        int[] ids = c.field("input_ids").tokenIds(nVocab);
        int[] out = c.field("output_ids").tokenIds(nVocab);
        requirePrefix(c.field("output_ids"), ids, out);
        return new GreedyCase(ids, c.field("max_new_tokens").intValue(), minNewTokens(c), optInt(c, "no_repeat_ngram_size"),
                optDouble(c, "repetition_penalty"), eos(c, nVocab), out,
                c.field("min_top2_gap").doubleValue(), optDouble(c, "sequence_logprob"));
    }

    /** HF's {@code min_new_tokens}: 0 where absent. */
    private static int minNewTokens(JsonField c) {
        int v = c.optional("min_new_tokens").map(JsonField::intValue).orElse(0);
        if (v < 0) {
            throw c.field("min_new_tokens").error("must be >= 0, got " + v);
        }
        return v;
    }

    /** {@code eos_token_id}: one id or a list of ids (HF accepts both), null where absent. */
    private static int[] eos(JsonField c, int nVocab) {
        return c.optional("eos_token_id").map(f -> {
            int[] ids = f.intOrIntArray();
            if (ids.length == 0) {
                throw f.error("an empty list; leave the field out for HF's default end token");
            }
            for (int id : ids) {
                if (id < 0 || id >= nVocab) {
                    throw f.error("token id " + id + " is outside the vocabulary [0, " + nVocab + ")");
                }
            }
            return ids;
        }).orElse(null);
    }

    private static BeamCase beam(JsonField c, int nVocab) {
        c.requireOnly(BEAM);
        int[] ids = c.field("input_ids").tokenIds(nVocab);
        int numBeams = c.field("num_beams").intValue();
        int numReturn = c.optional("num_return_sequences").map(JsonField::intValue).orElse(numBeams);
        List<JsonField> seqFields = c.field("sequences").elements();
        int[][] seqs = new int[seqFields.size()][];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = seqFields.get(i).tokenIds(nVocab);
            requirePrefix(seqFields.get(i), ids, seqs[i]);
        }
        double[] scores = c.field("sequences_scores").doubleArray();
        if (scores.length != seqs.length) {
            throw c.field("sequences_scores").error("has " + scores.length + " scores for " + seqs.length + " sequences");
        }
        if (seqs.length != numReturn) {
            throw c.field("sequences").error("has " + seqs.length + " sequences, expected num_return_sequences = " + numReturn);
        }
        EarlyStopping early = c.optional("early_stopping").map(ModelGoldenParser::earlyStopping).orElse(EarlyStopping.FALSE);
        return new BeamCase(ids, c.field("max_new_tokens").intValue(), minNewTokens(c), numBeams, numReturn,
                optDouble(c, "length_penalty") == null ? 1.0 : optDouble(c, "length_penalty"), early,
                optInt(c, "no_repeat_ngram_size"), eos(c, nVocab), seqs, scores);
    }

    private static EarlyStopping earlyStopping(JsonField f) {
        if (f.raw().isBoolean()) {
            return f.raw().booleanValue() ? EarlyStopping.TRUE : EarlyStopping.FALSE;
        }
        if (f.raw().isTextual() && f.raw().textValue().equals("never")) {
            return EarlyStopping.NEVER;
        }
        throw f.error("expected true, false or \"never\", got " + f.raw());
    }

    private static BatchGreedyCase batch(JsonField c, int nVocab) {
        c.requireOnly(BATCH);
        int[][] ids = c.field("input_ids").intMatrix();
        int[][] mask = c.field("attention_mask").intMatrix();
        int[][] out = c.field("output_ids").intMatrix();
        if (mask.length != ids.length || out.length != ids.length) {
            throw c.error("input_ids has " + ids.length + " rows, attention_mask " + mask.length
                    + ", output_ids " + out.length + "; they must agree");
        }
        for (int r = 0; r < ids.length; r++) {
            if (mask[r].length != ids[r].length || ids[r].length != ids[0].length) {
                throw c.field("attention_mask").error("row " + r + " has " + mask[r].length
                        + " entries; every row of input_ids and attention_mask must have " + ids[0].length);
            }
            for (int id : ids[r]) {
                if (id < 0 || id >= nVocab) {
                    throw c.field("input_ids").error("row " + r + " holds token id " + id + " outside [0, " + nVocab + ")");
                }
            }
        }
        return new BatchGreedyCase(ids, mask, c.optional("pad_token_id").map(JsonField::intValue).orElse(GPT2_PAD),
                c.field("max_new_tokens").intValue(), minNewTokens(c), optInt(c, "no_repeat_ngram_size"),
                optDouble(c, "repetition_penalty"), eos(c, nVocab), out, c.field("min_top2_gap").doubleValue());
    }

    private static WarperCase warper(JsonField c, int nVocab) {
        c.requireOnly(WARPER);
        int[] topIds = c.field("top_ids").tokenIds(nVocab);
        double[] topProbs = c.field("top_probs").doubleArray();
        if (topIds.length != topProbs.length) {
            throw c.field("top_probs").error("has " + topProbs.length + " values for " + topIds.length + " top_ids");
        }
        return new WarperCase(c.field("input_ids").tokenIds(nVocab), c.field("temperature").doubleValue(),
                c.field("top_k").intValue(), c.field("top_p").doubleValue(), c.field("kept").intValue(), topIds, topProbs);
    }

    private static PerplexityCase perplexity(JsonField c) {
        c.requireOnly(PERPLEXITY);
        return new PerplexityCase(c.field("text").text(), c.field("max_length").intValue(), c.field("stride").intValue(),
                c.field("ppl").doubleValue());
    }

    private static void requirePrefix(JsonField f, int[] prompt, int[] output) {
        if (output.length < prompt.length
                || !java.util.Arrays.equals(prompt, java.util.Arrays.copyOf(output, prompt.length))) {
            throw f.error("does not start with input_ids (outputs are prompt + new tokens)");
        }
    }

    private static Integer optInt(JsonField c, String name) {
        return c.optional(name).map(JsonField::intValue).orElse(null);
    }

    private static Double optDouble(JsonField c, String name) {
        return c.optional(name).map(JsonField::doubleValue).orElse(null);
    }
}
