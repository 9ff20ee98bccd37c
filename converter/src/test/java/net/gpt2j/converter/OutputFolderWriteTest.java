package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write into the partial folder that fails says what was being written, and where. */
class OutputFolderWriteTest {

    @TempDir
    Path dir;

    @Test
    void aFailureThatNamesNoFileIsToldWhatAndWhere() throws IOException {
        try (OutputFolder out = OutputFolder.prepare(dir.resolve("hub"), false)) {
            assertThatThrownBy(() -> out.write("config.json", () -> {
                throw new IOException("No space left on device"); // as a full disk reports it
            })).hasMessage("cannot write config.json into " + out.work() + ": No space left on device");

            NoSuchFileException named = new NoSuchFileException("/gone/config.json");
            assertThatThrownBy(() -> out.write("config.json", () -> {
                throw named;
            })).isSameAs(named);
        }
        assertThat(dir).isEmptyDirectory(); // never committed: the partial folder went with the close
    }
}
