package net.gpt2j.runtime.generate;

/**
 * One continuation a beam-search step may keep: its accumulated score (the beam's running score
 * plus the token's processed log-probability), the token, and the global row (beam) it extends.
 */
public record BeamCandidate(float score, int token, int sourceRow) {}
