package net.gpt2j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import net.gpt2j.format.Hparams;
import net.gpt2j.runtime.model.Gpt2Model;
import net.gpt2j.runtime.model.KvCacheDecoder;

/**
 * {@code bench/run soak [--tiny] [--steps N]}: native memory must not grow with generated tokens.
 * Runs 10,000 KV-cached decode steps (default) as consecutive greedy generations, each on a fresh
 * decoder with a 16-token prompt and as many steps as n_ctx leaves (1,000 for the 124M shape's
 * 1024, 48 for the tiny fixture's 64), and prints the process's RSS and DJL's live array count
 * before, at every generation end that crosses a multiple of 1,000 steps, and after.
 *
 * <p>Verdict (exit 1 on failure):
 * <ul>
 *   <li>the live array count after every generation equals the count before the first one,
 *       exactly: every array a step or a decoder makes must be freed;
 *   <li>RSS at the end is at most 5% above RSS after the first generation. The first generation
 *       is the baseline because it makes every size of allocation once (the n_ctx-long KV cache,
 *       torch's thread pools and allocator caches, JIT code); what comes after must not grow. 5%
 *       (about 110 MiB of the 124M run's 2.3 GB) sits above the wander seen between generations
 *       (malloc keeping freed pages: about 2%, up to 50 MiB), while any leak above ~13 KB per
 *       step crosses it: a logits row (200 KB/step, 1.8 GB over 9,000 steps) or every layer's
 *       K/V slice (3 KB x 24 per step, 650 MB). The fitted growth in KB per step is printed
 *       too, for leaks smaller than that.
 * </ul>
 * The launcher fixes the Java heap ({@code -Xms = -Xmx}, pre-touched) so RSS moves only with
 * native memory; without that the heap's own growth would blur the figure (a warning is printed).
 */
final class SoakBench {

    private static final int PROMPT = 16;
    private static final int REPORT_EVERY = 1000;
    private static final double MAX_GROWTH = 0.05;

    private record Sample(String when, long steps, ProcStatus status, int liveArrays, long heapUsedMb, double stepsPerS) {}

    private SoakBench() {}

    static int run(String[] args) {
        boolean tiny = false;
        long totalSteps = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tiny" -> tiny = true;
                case "--steps" -> totalSteps = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("soak: unknown argument " + args[i]
                        + " (expected --tiny, --steps N)");
            }
        }
        Hparams h = tiny ? Shapes.TINY : Shapes.GPT2_124M;
        int perGeneration = Math.min(1000, h.nCtx() - PROMPT);
        System.out.println("soak: " + (tiny ? "tiny fixture" : "124M shape") + " " + h + ", " + totalSteps
                + " decode steps as generations of " + perGeneration + " steps (16-token prompt, fresh decoder each); "
                + EngineThreads.describe());
        warnIfHeapNotFixed();

        List<Sample> samples = new ArrayList<>();
        try (NDManager probe = Engine.getEngine("PyTorch").newBaseManager();
                Gpt2Model model = SyntheticModel.load(Shapes.SEED, h)) {
            NDManager system = probe.getParentManager(); // every base manager hangs off it
            System.gc(); // the heap copies of the weights are garbage now: start from a settled heap
            samples.add(sample("before", 0, system, Double.NaN));
            int liveBefore = samples.get(0).liveArrays();
            long done = 0;
            int generation = 0;
            long windowStart = System.nanoTime();
            long windowSteps = 0;
            Sample afterFirst = null;
            boolean arraysLeaked = false;
            while (done < totalSteps) {
                int steps = (int) Math.min(perGeneration, totalSteps - done);
                generate(model, generation++, steps);
                done += steps;
                windowSteps += steps;
                int live = system.getManagedArrays().size();
                if (live != liveBefore) {
                    arraysLeaked = true;
                    System.out.printf("generation %d: %d live arrays after closing its decoder, %d before the first%n",
                            generation, live, liveBefore);
                }
                boolean report = generation == 1 || done / REPORT_EVERY != (done - steps) / REPORT_EVERY
                        || done == totalSteps;
                if (report) {
                    double rate = windowSteps / ((System.nanoTime() - windowStart) / 1e9);
                    Sample s = sample(generation == 1 ? "after generation 1" : "generation " + generation, done, system, rate);
                    samples.add(s);
                    print(s);
                    if (afterFirst == null) {
                        afterFirst = s;
                    }
                    windowStart = System.nanoTime();
                    windowSteps = 0;
                }
            }
            return verdict(samples, afterFirst, liveBefore, arraysLeaked);
        }
    }

    /** Greedy: prefill a prompt of its own, then {@code steps} KV-cached steps on the argmax. */
    private static void generate(Gpt2Model model, int generation, int steps) {
        int[] prompt = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            prompt[i] = (1000 + 37 * i + 7 * generation) % model.hparams().nVocab();
        }
        try (KvCacheDecoder decoder = model.newDecoder()) {
            float[][] logits = decoder.prefill(new int[][] {prompt}, null);
            for (int s = 0; s < steps; s++) {
                logits = decoder.step(new int[] {DecodeBench.argmax(logits[0])});
            }
        }
    }

    private static Sample sample(String when, long steps, NDManager system, double rate) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Sample s = new Sample(when, steps, ProcStatus.read(), system.getManagedArrays().size(), heap.getUsed() >> 20, rate);
        if (steps == 0) {
            print(s);
        }
        return s;
    }

    private static void print(Sample s) {
        System.out.printf("%-20s steps %6d  RSS %7.0f MiB (anon %7.0f, file %5.0f)  live arrays %4d  heap used %5d MiB  %s%n",
                s.when(), s.steps(), ProcStatus.mb(s.status().rssKb()), ProcStatus.mb(s.status().anonKb()),
                ProcStatus.mb(s.status().fileKb()), s.liveArrays(), s.heapUsedMb(),
                Double.isNaN(s.stepsPerS()) ? "" : String.format("%.1f steps/s", s.stepsPerS()));
    }

    private static int verdict(List<Sample> samples, Sample afterFirst, int liveBefore, boolean arraysLeaked) {
        Sample last = samples.get(samples.size() - 1);
        long base = afterFirst.status().rssKb();
        double growth = (double) (last.status().rssKb() - base) / base;
        double perStep = slopeKbPerStep(samples.subList(samples.indexOf(afterFirst), samples.size()));
        long peak = samples.stream().mapToLong(s -> s.status().rssKb()).max().orElse(base);
        System.out.println();
        System.out.println("== soak verdict");
        System.out.printf("RSS after generation 1 %.0f MiB, at the end %.0f MiB: %+.2f%% (limit +%.0f%%); highest sample %.0f MiB%n",
                ProcStatus.mb(base), ProcStatus.mb(last.status().rssKb()), 100 * growth, 100 * MAX_GROWTH, ProcStatus.mb(peak));
        System.out.printf("fitted RSS growth after generation 1: %+.2f KB per step%n", perStep);
        System.out.printf("live DJL arrays: %d before, %d at the end%s%n", liveBefore, last.liveArrays(),
                arraysLeaked ? " (differed after some generation: see above)" : ", equal after every generation");
        boolean ok = growth <= MAX_GROWTH && !arraysLeaked;
        System.out.println(ok ? "PASS: native memory stays flat" : "FAIL: memory grows with generated tokens");
        return ok ? 0 : 1;
    }

    /** Least-squares slope of RSS (KB) against steps. */
    private static double slopeKbPerStep(List<Sample> s) {
        if (s.size() < 2) {
            return 0;
        }
        double mx = s.stream().mapToDouble(Sample::steps).average().orElse(0);
        double my = s.stream().mapToDouble(x -> x.status().rssKb()).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample x : s) {
            num += (x.steps() - mx) * (x.status().rssKb() - my);
            den += (x.steps() - mx) * (x.steps() - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    /**
     * From the JVM's own flags: the memory bean's maximum leaves out a survivor space under the
     * parallel collector, so it differs from the initial size even when -Xms = -Xmx.
     */
    private static void warnIfHeapNotFixed() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        long initial = Long.parseLong(vm.getVMOption("InitialHeapSize").getValue());
        long max = Long.parseLong(vm.getVMOption("MaxHeapSize").getValue());
        boolean touched = Boolean.parseBoolean(vm.getVMOption("AlwaysPreTouch").getValue());
        if (initial != max || !touched) {
            System.out.printf("warning: the Java heap is not fixed and touched (-Xms %d MiB, -Xmx %d MiB, AlwaysPreTouch %b):"
                    + " its growth shows in RSS; run through bench/run (-Xms = -Xmx, -XX:+AlwaysPreTouch)%n",
                    initial >> 20, max >> 20, touched);
        }
    }
}
