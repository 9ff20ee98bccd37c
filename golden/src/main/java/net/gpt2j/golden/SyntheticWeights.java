package net.gpt2j.golden;

import net.gpt2j.format.Hparams;
import net.gpt2j.format.OpenAiNames;
import net.gpt2j.format.TensorSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * FIXTURES.md in code: the seeded, bit-exact float32 values of a synthetic GPT-2 checkpoint in
 * OpenAI's names and shapes. The Python recorder implements the same recipe, so a Java fixture
 * writer and HuggingFace see the same model without a weights file being shipped.
 *
 * <p>All arithmetic is unsigned 64-bit wrapping, which Java's {@code long} gives for free
 * (multiplication and addition wrap identically for signed and unsigned; shifts use {@code >>>}).
 */
public final class SyntheticWeights {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final Hparams hparams;

    public SyntheticWeights(long seed, Hparams hparams) {
        this.seed = seed;
        this.hparams = hparams;
    }

    /**
     * FIXTURES.md's seed as text: an unsigned 64-bit integer, 0 to 18446744073709551615 (2^64-1),
     * returned as its 64 bits (so 2^64-1 is {@code -1L}); anything else is refused in one line.
     */
    public static long parseSeed(String text) {
        try {
            return Long.parseUnsignedLong(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("seed must be an unsigned 64-bit integer, 0 to 18446744073709551615, got '"
                    + text + "'");
        }
    }

    public long seed() {
        return seed;
    }

    public Hparams hparams() {
        return hparams;
    }

    /** One variable of the checkpoint: OpenAI's name and shape. */
    public record Variable(String name, long[] shape) {
        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Every variable of an OpenAI GPT-2 checkpoint with these hparams, in {@link OpenAiNames}' order. */
    public List<Variable> variables() {
        List<Variable> vars = new ArrayList<>();
        for (TensorSpec s : OpenAiNames.variables(hparams)) {
            vars.add(new Variable(s.name(), s.shape()));
        }
        return vars;
    }

    /** All values of one variable (row-major, leading 1 included). */
    public float[] values(Variable v) {
        long n = v.elementCount();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("variable " + v.name() + " has " + n + " elements, more than one Java array holds");
        }
        float[] out = new float[(int) n];
        fill(v.name(), 0, out, 0, out.length);
        return out;
    }

    /**
     * Writes {@code count} values of variable {@code name}, starting at element {@code firstElement},
     * into {@code dst[offset..]}. Lets a writer stream a large variable in chunks.
     */
    public void fill(String name, long firstElement, float[] dst, int offset, int count) {
        long key = seed ^ fnv1a64(name);
        double center = center(name);
        double scale = scale(name);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = value(key, firstElement + i, center, scale);
        }
    }

    /** The value of element {@code j} of variable {@code name}. */
    public float value(String name, long j) {
        return value(seed ^ fnv1a64(name), j, center(name), scale(name));
    }

    private static float value(long key, long j, double center, double scale) {
        long z = key + (j + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        // the top 24 bits as an integer in [0, 2^24), scaled to [-1, 1): exact in double
        double r = (double) (z >>> 40) / (double) (1 << 23) - 1.0;
        // computed in double, rounded once to float32 (Java's cast rounds to nearest-even)
        return (float) (center + scale * r);
    }

    static long fnv1a64(String name) {
        long h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    private static double center(String name) {
        return name.endsWith("/g") ? 1.0 : 0.0;
    }

    private static double scale(String name) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        switch (last) {
            case "wte":
                return 1.0 / 4;
            case "wpe":
                return 1.0 / 8;
            case "g":
                return 1.0 / 8;
            case "b":
                return 1.0 / 16;
            case "w":
                return name.endsWith("mlp/c_proj/w") ? 1.0 / 16 : 1.0 / 8;
            default:
                throw new IllegalArgumentException("no FIXTURES.md rule for variable " + name);
        }
    }
}
