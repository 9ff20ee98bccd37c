package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {

    @Test
    void aMultiLineMessageBecomesItsFirstLineAndACount() {
        String line = ErrorReporter.line(new IllegalArgumentException("n_layer 2000 disagrees\nh1 missing\nh2 missing"));
        assertThat(line).isEqualTo("n_layer 2000 disagrees (2 more lines with -v)");
    }

    @Test
    void theRootCauseIsAddedWhenTheMessageDoesNotSayIt() {
        String line = ErrorReporter.line(new UncheckedIOException("cannot read model.safetensors",
                new java.io.IOException("Input/output error")));
        assertThat(line).isEqualTo("cannot read model.safetensors: Input/output error");
    }

    @Test
    void outOfMemoryInsideAnotherExceptionStillGetsTheHint() {
        String line = ErrorReporter.line(new RuntimeException("step 3 failed", new OutOfMemoryError("Java heap space")));
        assertThat(line).startsWith("step 3 failed: out of memory (Java heap space)").contains("GPT2_JAVA_OPTS=-Xmx");
    }
}
