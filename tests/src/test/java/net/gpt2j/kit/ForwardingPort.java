package net.gpt2j.kit;

import java.util.Optional;
import java.util.Set;

/** Delegates everything; a perturbed test port overrides the one answer it corrupts. */
class ForwardingPort implements Gpt2Port {

    final Gpt2Port inner;

    ForwardingPort(Gpt2Port inner) {
        this.inner = inner;
    }

    @Override public Set<Capability> capabilities() { return inner.capabilities(); }
    @Override public int[] tokenize(String text) { return inner.tokenize(text); }
    @Override public String decode(int[] ids) { return inner.decode(ids); }
    @Override public float[][][] logits(int[][] ids, int[][] mask) { return inner.logits(ids, mask); }
    @Override public int[][] greedy(GreedyRequest r) { return inner.greedy(r); }
    @Override public BeamResult beam(BeamRequest r) { return inner.beam(r); }
    @Override public WarpedDistribution warp(int[] ids, double t, int k, double p) { return inner.warp(ids, t, k, p); }
    @Override public double perplexity(String text, int maxLength, int stride) { return inner.perplexity(text, maxLength, stride); }
    @Override public double perplexity(int[] ids, int maxLength, int stride) { return inner.perplexity(ids, maxLength, stride); }
    @Override public double sequenceLogprob(int[] prompt, int[] output) { return inner.sequenceLogprob(prompt, output); }
    @Override public Optional<ProbeRun> probes(int[] ids) { return inner.probes(ids); }
}
