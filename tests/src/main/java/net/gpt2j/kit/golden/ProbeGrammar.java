package net.gpt2j.kit.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.gpt2j.format.Hparams;

/**
 * The GPT-2 probe names of FORMAT.md ({@code embed}, {@code h{i}.ln_1}, {@code h{i}.attn.q/.k/.v},
 * {@code h{i}.attn}, {@code h{i}.ln_2}, {@code h{i}.mlp.c_fc}, {@code h{i}.mlp}, {@code h{i}.out},
 * {@code ln_f}) and the width each has under given hparams. A probe outside this grammar is one no
 * port can report, so the loader refuses it rather than let every port fail on it.
 */
public final class ProbeGrammar {

    /** The parts of a block, in forward order. */
    public static final List<String> BLOCK_PARTS =
            List.of("ln_1", "attn.q", "attn.k", "attn.v", "attn", "ln_2", "mlp.c_fc", "mlp", "out");

    private static final Pattern BLOCK = Pattern.compile("h(0|[1-9][0-9]{0,8})\\.(.+)");

    private ProbeGrammar() {}

    /** Every standard probe of a model, in forward order. */
    public static List<String> standard(Hparams hp) {
        List<String> names = new ArrayList<>();
        names.add("embed");
        for (int i = 0; i < hp.nLayer(); i++) {
            for (String part : BLOCK_PARTS) {
                names.add("h" + i + "." + part);
            }
        }
        names.add("ln_f");
        return names;
    }

    /** Why {@code name} is not a probe of a model with {@code hp}, or empty when it is. */
    public static Optional<String> problem(String name, Hparams hp) {
        if (name.equals("embed") || name.equals("ln_f")) {
            return Optional.empty();
        }
        Matcher m = BLOCK.matcher(name);
        if (!m.matches() || !BLOCK_PARTS.contains(m.group(2))) {
            return Optional.of("is not a GPT-2 probe name; expected embed, h{i}." + String.join(", h{i}.", BLOCK_PARTS)
                    + " or ln_f");
        }
        int block = Integer.parseInt(m.group(1));
        if (block >= hp.nLayer()) {
            return Optional.of("names block " + block + " but hparams.n_layer is " + hp.nLayer() + " (blocks 0.."
                    + (hp.nLayer() - 1) + ")");
        }
        return Optional.empty();
    }

    /** The width of a valid probe: {@code 4 * n_embd} for {@code mlp.c_fc}, {@code n_embd} for the rest. */
    public static int width(String name, Hparams hp) {
        return name.endsWith(".mlp.c_fc") ? 4 * hp.nEmbd() : hp.nEmbd();
    }

    /** How {@link #width} is derived, for error messages. */
    static String widthRule(String name, Hparams hp) {
        return name.endsWith(".mlp.c_fc") ? "4 * n_embd = " + 4 * hp.nEmbd() : "n_embd = " + hp.nEmbd();
    }
}
