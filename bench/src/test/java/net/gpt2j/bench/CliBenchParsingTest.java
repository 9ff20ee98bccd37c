package net.gpt2j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bench/run cli}'s arguments, the CLI command it builds and the lines it reads back; no timing. */
class CliBenchParsingTest {

    private static final String SUMMARY = "gpt2 generate: loaded in 2.31 s; 16 prompt tokens, 64 new tokens in 2.10 s "
            + "(30.5 tok/s) on cpu()";
    private static final String TIMINGS = "gpt2 generate: timings: JVM start to main 0.08 s, main to command 0.52 s, command to load 0.31 s, "
            + "load 4.20 s, prefill 0.125 s (16 tokens, first token decided), decode 1.975 s (63 steps, 31.9 steps/s)";

    @Test
    void argumentsAreRunsAndAWorkFolder() {
        assertThat(CliBench.Options.parse(new String[0])).isEqualTo(new CliBench.Options(5, Path.of("bench-work"), null));
        assertThat(CliBench.Options.parse(new String[] {"3", "--work", "/tmp/w"}))
                .isEqualTo(new CliBench.Options(3, Path.of("/tmp/w"), null));
        assertThat(CliBench.Options.parse(new String[] {"--hf-python", "/opt/py/bin/python", "2"}))
                .isEqualTo(new CliBench.Options(2, Path.of("bench-work"), "/opt/py/bin/python"));
        assertThatThrownBy(() -> CliBench.Options.parse(new String[] {"--hf-python"})).hasMessageContaining("--hf-python needs");
        assertThatThrownBy(() -> CliBench.Options.parse(new String[] {"0"})).hasMessageContaining("runs must be >= 1");
        assertThatThrownBy(() -> CliBench.Options.parse(new String[] {"--work"})).hasMessageContaining("--work needs a folder");
        assertThatThrownBy(() -> CliBench.Options.parse(new String[] {"--fast"})).hasMessageContaining("'--fast'");
    }

    @Test
    void theSummaryTimingsAndIdsAreRead() {
        CliOutput out = CliOutput.parse(List.of("Every effort moves you, a streamed text", "[1, 20, 300]"),
                List.of("gpt2 generate: warning: something", SUMMARY, TIMINGS));
        assertThat(out.loadSeconds()).isEqualTo(2.31);
        assertThat(out.promptTokens()).isEqualTo(16);
        assertThat(out.newTokens()).isEqualTo(64);
        assertThat(out.generateSeconds()).isEqualTo(2.10);
        assertThat(out.device()).isEqualTo("cpu()");
        assertThat(out.jvmStartToMainSeconds()).isEqualTo(0.08);
        assertThat(out.mainToCommandSeconds()).isEqualTo(0.52);
        assertThat(out.commandToLoadSeconds()).isEqualTo(0.31);
        assertThat(out.prefillSeconds()).isEqualTo(0.125);
        assertThat(out.decodeSeconds()).isEqualTo(1.975);
        assertThat(out.ids()).containsExactly(1, 20, 300);
        assertThat(out.tokensPerSecond()).isEqualTo(64 / 2.1);
        assertThat(out.decodeStepsPerSecond()).isEqualTo(63 / 1.975);
    }

    @Test
    void theHfSidesLineIsRead() {
        HfCliSide.Result r = HfCliSide.Result.parse(List.of("some warning",
                "{\"versions\": \"transformers 5.18.0, torch 2.13.0+cpu, 2 threads\", \"import_s\": 2.5, \"load_s\": 0.75,"
                        + " \"prompt_tokens\": 16, \"prefill_s\": 0.125, \"decode_s\": 1.5, \"ids\": [7, 8, 9]}"));
        assertThat(r.versions()).startsWith("transformers 5.18.0");
        assertThat(r.importSeconds()).isEqualTo(2.5);
        assertThat(r.loadSeconds()).isEqualTo(0.75);
        assertThat(r.promptTokens()).isEqualTo(16);
        assertThat(r.generateSeconds()).isEqualTo(1.625);
        assertThat(r.ids()).containsExactly(7, 8, 9);
        assertThatThrownBy(() -> HfCliSide.Result.parse(List.of("Traceback (most recent call last):")))
                .hasMessageContaining("no JSON line");
        assertThatThrownBy(() -> HfCliSide.Result.parse(List.of("{\"ids\": [1]}"))).hasMessageContaining("'versions'");
    }

    @Test
    void aMissingLineIsNamed() {
        assertThatThrownBy(() -> CliOutput.parse(List.of("[1]"), List.of(SUMMARY)))
                .hasMessageContaining("no a -v line 'gpt2 generate: timings");
        assertThatThrownBy(() -> CliOutput.parse(List.of("[1]"), List.of(TIMINGS.replace("prefill", "fill"), SUMMARY)))
                .hasMessageContaining("timings");
        assertThatThrownBy(() -> CliOutput.parse(List.of("text only"), List.of(SUMMARY, TIMINGS)))
                .hasMessageContaining("--ids printed no");
        assertThatThrownBy(() -> CliOutput.parse(List.of("[1]"), List.of(TIMINGS)))
                .hasMessageContaining("summary line");
    }

    @Test
    void theApiChildsLineIsRead() {
        GenerateOnce.Result r = GenerateOnce.Result.parse(List.of("noise",
                "generate-once: load_s=4.5 prefill_s=0.25 decode_s=2.1 ids=[5,6,7]"));
        assertThat(r.loadSeconds()).isEqualTo(4.5);
        assertThat(r.prefillSeconds()).isEqualTo(0.25);
        assertThat(r.decodeSeconds()).isEqualTo(2.1);
        assertThat(r.ids()).containsExactly(5, 6, 7);
        assertThatThrownBy(() -> GenerateOnce.Result.parse(List.of("noise"))).hasMessageContaining("generate-once:");
        assertThatThrownBy(() -> GenerateOnce.Result.parse(List.of("generate-once: load_s=1 prefill_s=1 decode_s=1")))
                .hasMessageContaining("no ids=");
    }

    @Test
    void theChildRunsAsTheLauncherRunsIt() {
        List<String> cmd = CliLaunch.command(Path.of("/jdk"), "a.jar:b.jar", Map.of(), List.of(), List.of("generate", "--ids"));
        assertThat(cmd).containsExactly("/jdk/bin/java", "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xmx6g", "-XX:+UseParallelGC", "-Xmn256m", "-Dai.djl.offline=true", "-Dgpt2.stderr.tty=false",
                "-cp", "a.jar:b.jar", "net.gpt2j.cli.Gpt2", "generate", "--ids");
        List<String> chosen = CliLaunch.command(Path.of("/jdk"), "a.jar",
                Map.of("GPT2_JAVA_OPTS", " -Xmx2g  -XX:+UseSerialGC", "GPT2_TORCH_THREADS", "1"),
                List.of("-XX:StartFlightRecording"), List.of("-V"));
        assertThat(chosen).containsExactly("/jdk/bin/java", "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xmx2g", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dgpt2.stderr.tty=false", "-XX:StartFlightRecording", "-cp", "a.jar",
                "net.gpt2j.cli.Gpt2", "-V");
        assertThat(CliLaunch.command(Path.of("/jdk"), "a.jar", Map.of(), List.of(), "x.Main", List.of("a")))
                .containsExactly("/jdk/bin/java", "-Xlog:disable", "-Xlog:all=warning:stderr", "-Xmx6g", "-XX:+UseParallelGC", "-Xmn256m", "-Dai.djl.offline=true",
                        "-Dgpt2.stderr.tty=false", "-cp", "a.jar",
                        "x.Main", "a");
        assertThat(CliLaunch.environment(Map.of())).containsEntry("OMP_WAIT_POLICY", "PASSIVE");
        assertThat(CliLaunch.environment(Map.of("OMP_WAIT_POLICY", "ACTIVE"))).containsEntry("OMP_WAIT_POLICY", "ACTIVE");
        assertThat(CliLaunch.environment(Map.of())).containsEntry("GOMP_SPINCOUNT", "2000");
        assertThat(CliLaunch.environment(Map.of("GOMP_SPINCOUNT", "0"))).containsEntry("GOMP_SPINCOUNT", "0");
        assertThat(CliLaunch.environment(Map.of())).containsEntry("MALLOC_MMAP_THRESHOLD_", "33554432")
                .containsEntry("MALLOC_TRIM_THRESHOLD_", "268435456");
        assertThat(CliLaunch.environment(Map.of("MALLOC_TRIM_THRESHOLD_", "0"))).containsEntry("MALLOC_TRIM_THRESHOLD_", "0");
    }

    /** Kept in step by hand, so checked: the launcher's defaults are the ones this class copies. */
    @Test
    void theLauncherHasTheSameDefaults() throws java.io.IOException {
        String launcher = java.nio.file.Files.readString(Path.of("..", "gpt2"));
        String settings = java.nio.file.Files.readString(Path.of("..", "cli", "launch-env.sh"));
        assertThat(launcher).contains("source \"$here/cli/launch-env.sh\"")
                .contains("exec java \"${gpt2_log_flags[@]}\" ${GPT2_JAVA_OPTS:--Xmx6g ${gpt2_gc_flags[*]}}");
        assertThat(settings.lines().filter(l -> l.startsWith("gpt2_log_flags=(")).findFirst().orElseThrow()
                .replaceAll("^gpt2_log_flags=\\((.*)\\)$", "$1")).isEqualTo(String.join(" ", CliLaunch.LOG_FLAGS));
        assertThat("-Xmx6g " + settings.lines().filter(l -> l.startsWith("gpt2_gc_flags=(")).findFirst().orElseThrow()
                .replaceAll("^gpt2_gc_flags=\\((.*)\\)$", "$1")).isEqualTo(CliLaunch.DEFAULT_JAVA_OPTS);
        assertThat(settings).contains("OMP_WAIT_POLICY=\"${OMP_WAIT_POLICY:-" + CliLaunch.environment(Map.of()).get("OMP_WAIT_POLICY") + "}\"");
        assertThat(settings).contains("GOMP_SPINCOUNT=\"${GOMP_SPINCOUNT:-" + CliLaunch.environment(Map.of()).get("GOMP_SPINCOUNT") + "}\"");
        for (String name : new String[] {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"}) {
            assertThat(settings).contains(name + "=\"${" + name + ":-" + CliLaunch.environment(Map.of()).get(name) + "}\"");
        }
    }
}
