package net.gpt2j.runtime.generate;

/**
 * HF's {@code TopKLogitsWarper}: scores below the k-th largest become -inf. HF removes
 * {@code scores < topk(scores, k).values[-1]}, so every id tied with the k-th value survives; this
 * compares against the k-th value too, so which of several tied ids {@code torch.topk} would list
 * never matters here (more than k ids can be kept on exact ties, as in HF).
 */
public final class TopKWarper implements LogitsProcessor {

    private final int k;
    private final int minTokensToKeep;

    public TopKWarper(int k) {
        this(k, 1);
    }

    public TopKWarper(int k, int minTokensToKeep) {
        if (k < 1) {
            throw new IllegalArgumentException("top_k must be >= 1 for the warper (0 means: leave it out), got " + k);
        }
        this.k = k;
        this.minTokensToKeep = minTokensToKeep;
    }

    @Override
    public void process(int[][] idsSoFar, float[][] scores) {
        for (float[] row : scores) {
            int keep = Math.min(Math.max(k, minTokensToKeep), row.length);
            float kth = kthLargest(row, keep);
            for (int i = 0; i < row.length; i++) {
                if (row[i] < kth) {
                    row[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /**
     * The {@code keep}-th largest value of {@code row} in {@link Float#compare}'s order, the value a full
     * ascending sort puts at {@code length - keep}: a min-heap of the {@code keep} largest seen so far,
     * which most values of a vocabulary row fail to enter after one comparison, where sorting a copy
     * of the row took most of a sampled step.
     */
    static float kthLargest(float[] row, int keep) {
        float[] heap = new float[keep]; // heap[0] is the smallest of the kept
        System.arraycopy(row, 0, heap, 0, keep);
        for (int i = keep / 2 - 1; i >= 0; i--) {
            siftDown(heap, i);
        }
        for (int i = keep; i < row.length; i++) {
            if (Float.compare(row[i], heap[0]) > 0) {
                heap[0] = row[i];
                siftDown(heap, 0);
            }
        }
        return heap[0];
    }

    private static void siftDown(float[] heap, int i) {
        int n = heap.length;
        float value = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && Float.compare(heap[child + 1], heap[child]) < 0) {
                child++;
            }
            if (Float.compare(heap[child], value) >= 0) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
    }
}
