package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code gpt2 env} names the engine, where its natives came from, and, on a CPU-only build, why CUDA is unused. */
class EnvCommandTest {

    @Test
    void envShowsTheEngineTheNativesAndWhyCudaIsNotUsedOnTheCpuBuild() {
        CommandLineTest.Run env = CommandLineTest.gpt2("env");
        assertThat(env.exit()).as(env.err()).isZero();
        assertThat(env.out()).contains("engine: PyTorch 2.7.1 (DJL 0.35.1)")
                .contains("natives: ").contains("(cpu)").contains("pytorch-native-cpu jar")
                .contains("threads: ").contains("GOMP_SPINCOUNT=").contains("decode threads: ")
                .contains("matrix products: auto (GPT2_CPU_PRODUCTS or -Dgpt2j.cpu_products")
                .contains("weight memory: auto (GPT2_WEIGHT_MEMORY or -Dgpt2j.weight_memory")
                .contains("malloc: MALLOC_MMAP_THRESHOLD_=").contains(", MALLOC_TRIM_THRESHOLD_=")
                .contains("huge pages: THP_MEM_ALLOC_ENABLE=")
                .contains("jvm: Java " + Runtime.version())
                .contains("cuda: not used: the natives are CPU-only");
    }
}
