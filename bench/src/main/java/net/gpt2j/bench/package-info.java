/** Benchmarks: each prints min / median / max over several runs and the limits measured in the same run. */
package net.gpt2j.bench;
