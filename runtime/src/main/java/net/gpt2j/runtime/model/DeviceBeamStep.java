package net.gpt2j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Optional;
import net.gpt2j.runtime.generate.BeamCandidate;
import net.gpt2j.runtime.generate.LogitsProcessor;
import net.gpt2j.runtime.generate.NextTokenLogits;
import net.gpt2j.runtime.generate.ProcessorEdits;
import net.gpt2j.runtime.generate.TopCandidates;

/**
 * {@link NextTokenLogits#beamCandidates} where the logits are, in HF's order ({@code _beam_search}):
 * {@code log_softmax} (torch's own kernel), the processors' edits, plus each beam's running score,
 * viewed {@code [prompts, beams * vocab]}, {@code topk}. Only the {@code topk}'s values and indices
 * come to the host, plus, with processors, the few scores they rewrite:
 * <ul>
 * <li>no processors: 5 engine calls ({@code log_softmax}, the running scores built, added in place,
 * the view, {@code topk}) and 2 copies of {@code prompts * (2 * beams + 1)} values and indices;</li>
 * <li>sparse processors ({@link ProcessorEdits}): 4 more calls (index built, {@code gather}, values
 * built, {@code scatter}) and 1 more copy, of {@code rows * width} scores;</li>
 * <li>a caller's own processor, which may read a whole row: the rows come to the host and the host
 * path decides.</li>
 * </ul>
 * The {@code topk} takes one candidate more than asked: if the last asked-for and that one tie, which
 * candidates are the best depends on a tie rule, and torch's is not the host path's (ascending index),
 * so the prompt's processed scores come to the host and the host's selection decides.
 */
final class DeviceBeamStep {

    private final EngineOps ops;
    private final HostCopies host;

    DeviceBeamStep(EngineOps ops, HostCopies host) {
        this.ops = ops;
        this.host = host;
    }

    /**
     * @param logits {@code [rows, vocab]} on the device, left as it is
     * @param parent the manager under which the step's temporaries live (and are freed at its end)
     */
    BeamCandidate[][] candidates(NDArray logits, NDManager parent, int[][] idsSoFar, List<LogitsProcessor> processors,
            float[] runningScores, int numBeams, int count) {
        int rows = Math.toIntExact(logits.getShape().get(0));
        int vocab = Math.toIntExact(logits.getShape().get(1));
        if (rows % numBeams != 0 || runningScores.length != rows || idsSoFar.length != rows) {
            throw new IllegalArgumentException(rows + " rows of logits, " + idsSoFar.length + " of ids and "
                    + runningScores.length + " running scores do not make whole prompts of " + numBeams + " beams");
        }
        Optional<ProcessorEdits> edits = ProcessorEdits.of(processors, idsSoFar, vocab);
        long perPrompt = (long) numBeams * vocab;
        if (edits.isEmpty() || perPrompt < count) {
            return NextTokenLogits.onHost(host.rows(logits))
                    .beamCandidates(idsSoFar, processors, runningScores, numBeams, count);
        }
        int prompts = rows / numBeams;
        try (NDManager scratch = parent.newSubManager()) {
            NDArray scores = ops.logSoftmax(logits, 1);
            scores.attach(scratch);
            if (!edits.get().isEmpty()) {
                scores = edited(scores, edits.get(), scratch);
            }
            ops.addInPlace(scores, ops.create(scratch, runningScores, new Shape(rows, 1)));
            NDArray flat = ops.reshape(scores, prompts, perPrompt);
            flat.attach(scratch);
            int m = (int) Math.min(count + 1L, perPrompt);
            NDList top = ops.topK(flat, m, 1);
            top.attach(scratch);
            float[] values = host.floatArray(top.get(0));
            long[] indices = host.longArray(top.get(1));
            BeamCandidate[][] out = new BeamCandidate[prompts][];
            float[][] onHost = null;
            for (int b = 0; b < prompts; b++) {
                out[b] = TopCandidates.fromTopK(values, indices, b * m, m, count, b * numBeams, vocab);
                if (out[b] == null) {
                    onHost = onHost != null ? onHost : host.rows(scores);
                    out[b] = TopCandidates.select(onHost, b * numBeams, numBeams, count);
                }
            }
            return out;
        }
    }

    /** {@code scores} with the processors' edits scattered in: only the ids they touch go to the host and back. */
    private NDArray edited(NDArray scores, ProcessorEdits edits, NDManager scratch) {
        Shape shape = new Shape(edits.rows(), edits.width());
        NDArray index = ops.create(scratch, edits.flatIndex(), shape);
        NDArray gathered = ops.gather(scores, index, 1);
        gathered.attach(scratch);
        float[] values = host.floatArray(gathered);
        edits.apply(values);
        NDArray result = ops.scatter(scores, index, ops.create(scratch, values, shape), 1);
        result.attach(scratch);
        return result;
    }
}
