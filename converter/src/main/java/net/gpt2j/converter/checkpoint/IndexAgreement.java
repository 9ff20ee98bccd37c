package net.gpt2j.converter.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.gpt2j.format.Hparams;
import net.gpt2j.format.Problems;

/**
 * The cheap agreement between an index and the hparams, checked before anything is sized from the
 * hparams: the layers the index holds are exactly h0..h{n_layer-1}, and the embeddings have the
 * shapes n_vocab, n_ctx and n_embd give. Without it, {@code "n_layer": 1000000000} would make the
 * converter list a billion expected tensors before noticing the index holds twelve layers.
 */
public final class IndexAgreement {

    private static final Pattern LAYER = Pattern.compile("model/h(\\d{1,9})/.+");

    private IndexAgreement() {}

    /** Throws naming both numbers when the index and the hparams describe different models. */
    public static void check(List<TensorEntry> entries, Hparams h, String indexName) throws CheckpointException {
        List<String> problems = new ArrayList<>();
        TreeSet<Integer> layers = new TreeSet<>();
        String firstExtra = null;
        for (TensorEntry e : entries) {
            Matcher m = LAYER.matcher(e.name());
            if (m.matches()) {
                int layer = Integer.parseInt(m.group(1));
                layers.add(layer);
                if (layer >= h.nLayer() && firstExtra == null) {
                    firstExtra = e.name();
                }
            }
            if (e.name().equals("model/wte")) {
                shape(problems, e, h.nVocab(), h.nEmbd(), "[n_vocab, n_embd]");
            } else if (e.name().equals("model/wpe")) {
                shape(problems, e, h.nCtx(), h.nEmbd(), "[n_ctx, n_embd]");
            }
        }
        boolean contiguous = layers.isEmpty() || (layers.first() == 0 && layers.last() == layers.size() - 1);
        if (layers.size() != h.nLayer() || !contiguous) {
            String held = layers.isEmpty() ? "no layers"
                    : contiguous ? "layers h0..h" + layers.last() + " (" + layers.size() + ")"
                    : layers.size() + " layers numbered " + layers.first() + " to " + layers.last() + " with gaps";
            problems.add("it holds " + held + " but hparams say n_layer = " + h.nLayer()
                    + (firstExtra == null ? "" : " (" + firstExtra + " is in a layer the hparams do not have)"));
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException("checkpoint index " + (indexName.isEmpty() ? "" : indexName + " ") + "does not match hparams " + h + ": "
                    + Problems.join(problems, "; "));
        }
    }

    private static void shape(List<String> problems, TensorEntry e, long rows, long cols, String what) {
        if (!Arrays.equals(e.shape(), new long[] {rows, cols})) {
            problems.add(e.name() + ": shape " + e.shapeString() + ", expected [" + rows + ", " + cols + "] (" + what + ")");
        }
    }
}
