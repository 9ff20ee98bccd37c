package net.gpt2j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        String line = ErrorReporter.line(new RuntimeException("step 3 failed", new OutOfMemoryError("Java heap space")), "generate");
        assertThat(line).startsWith("step 3 failed: out of memory (Java heap space)").contains("GPT2_JAVA_OPTS=-Xmx")
                .contains("fewer --num-beams");
        // a conversion's memory is set by the model, not by a request: only the heap can change
        assertThat(ErrorReporter.line(new OutOfMemoryError("Java heap space"), "convert")).contains("GPT2_JAVA_OPTS=-Xmx")
                .doesNotContain("--num-beams");
    }

    @Test
    void aJsonParsersMessageIsSaidOnceWithItsLineAndColumn() throws Exception {
        JsonProcessingException parse;
        try {
            new ObjectMapper().readTree("{\"n_vocab\": 50257,\n");
            throw new AssertionError("parsed");
        } catch (JsonProcessingException e) {
            parse = e;
        }
        String line = ErrorReporter.line(new IllegalArgumentException("hparams file h.json is not valid JSON: "
                + parse.getOriginalMessage(), parse));
        assertThat(line).isEqualTo("hparams file h.json is not valid JSON: " + parse.getOriginalMessage() + " (line 2, column 1)");
    }
}
