package net.gpt2j.kit;

/**
 * HF's {@code early_stopping} for beam search: {@code FALSE} (stop when the best running beam can no
 * longer beat the worst finished one, by HF's heuristic), {@code TRUE} (stop as soon as
 * {@code num_beams} hypotheses are finished), {@code NEVER} (the exact canonical criterion).
 */
public enum EarlyStopping {
    FALSE,
    TRUE,
    NEVER
}
