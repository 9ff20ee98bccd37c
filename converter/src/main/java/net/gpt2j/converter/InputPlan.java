package net.gpt2j.converter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.gpt2j.converter.checkpoint.CheckpointException;
import net.gpt2j.converter.checkpoint.IndexAgreement;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.format.Problems;
import net.gpt2j.format.TensorSpec;
import net.gpt2j.converter.mapping.WeightMapping;
import net.gpt2j.format.Hparams;

/**
 * Checks a checkpoint's index against the model the hparams describe, before a single byte of
 * tensor data is read: every expected variable present, float32, with the right shape and size.
 * A 6 GB conversion should fail in a second, not after an hour, when the hparams do not match.
 *
 * <p>Variables that are not model variables (Adam slots such as {@code .../w/Adam}, {@code
 * global_step}, {@code beta1_power}) are ignored and listed so the user can be warned. A model
 * variable the hparams do not expect (say {@code model/h12/...} with {@code n_layer = 12}) is an
 * error: it means the hparams belong to another model.
 */
final class InputPlan {

    static final String FLOAT_DTYPE = "DT_FLOAT";
    private static final Pattern LAYER = Pattern.compile("model/h(\\d+)/(.+)");

    /** One tensor to read, with the spec the mapping expects. */
    record Item(TensorEntry entry, TensorSpec input) {}

    private final List<Item> items;
    private final List<String> ignored;

    private InputPlan(List<Item> items, List<String> ignored) {
        this.items = items;
        this.ignored = ignored;
    }

    /** The expected tensors in the order their bytes lie in the checkpoint (shard, then offset). */
    List<Item> items() {
        return items;
    }

    /** Names of variables present but not part of the model. */
    List<String> ignored() {
        return ignored;
    }

    long totalBytes() {
        return items.stream().mapToLong(i -> i.entry().size()).sum();
    }

    static InputPlan check(List<TensorEntry> entries, WeightMapping mapping, Hparams hparams) throws ConversionException {
        try {
            // before expanding the hparams into every expected name: they may claim a billion layers
            IndexAgreement.check(entries, hparams, "");
        } catch (CheckpointException e) {
            throw new ConversionException(e.getMessage(), e);
        }
        Map<String, TensorEntry> byName = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (TensorEntry e : entries) {
            if (byName.put(e.name(), e) != null) {
                problems.add(e.name() + ": listed twice in the checkpoint index");
            }
        }
        List<TensorSpec> expected = mapping.expectedInputs();
        Map<String, TensorSpec> expectedByName = new LinkedHashMap<>();
        Set<String> layerParts = new HashSet<>();
        for (TensorSpec s : expected) {
            expectedByName.put(s.name(), s);
            Matcher m = LAYER.matcher(s.name());
            if (m.matches()) {
                layerParts.add(m.group(2));
            }
        }
        List<Item> items = new ArrayList<>();
        for (TensorSpec want : expected) {
            TensorEntry e = byName.get(want.name());
            if (e == null) {
                problems.add(want.name() + ": missing (expected float32 " + want.shapeString() + ")");
                continue;
            }
            if (!FLOAT_DTYPE.equals(e.dtype())) {
                problems.add(want.name() + ": dtype " + e.dtype() + ", expected " + FLOAT_DTYPE);
            } else if (!Arrays.equals(want.shape(), e.shape())) {
                problems.add(want.name() + ": shape " + e.shapeString() + ", expected " + want.shapeString());
            } else if (e.size() != want.byteSize()) {
                problems.add(want.name() + ": " + e.size() + " bytes in the index, expected " + want.byteSize()
                        + " for float32 " + want.shapeString());
            } else {
                items.add(new Item(e, want));
            }
        }
        List<String> ignored = new ArrayList<>();
        for (TensorEntry e : entries) {
            if (expectedByName.containsKey(e.name())) {
                continue;
            }
            Matcher m = LAYER.matcher(e.name());
            if (m.matches() && layerParts.contains(m.group(2))) {
                problems.add(e.name() + ": a layer the hparams do not have (n_layer = " + hparams.nLayer() + ")");
            } else {
                ignored.add(e.name());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConversionException("checkpoint does not match hparams " + hparams + ": " + problems.size()
                    + " problem(s):\n  " + Problems.join(problems, "\n  "));
        }
        items.sort(Comparator.comparingInt((Item i) -> i.entry().shardId()).thenComparingLong(i -> i.entry().offset()));
        return new InputPlan(List.copyOf(items), List.copyOf(ignored));
    }
}
