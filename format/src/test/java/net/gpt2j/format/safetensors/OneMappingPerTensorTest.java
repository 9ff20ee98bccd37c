package net.gpt2j.format.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.gpt2j.format.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tensor is mapped once, however often its bytes are asked for: a checksum pass and a runtime that
 * uses the weights in place then share one mapping, so the pages the checksum touched are not faulted
 * in a second time on the first forward. Counted in the kernel's own list of this process's mappings.
 */
class OneMappingPerTensorTest {

    @TempDir
    Path dir;

    @Test
    void askingForATensorsBytesAgainReusesItsMapping() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs Linux's /proc/self/maps to count mappings");
        TensorSpec big = new TensorSpec("w", new long[] {1024, 64}); // 256 kB: its own pages
        Path file = dir.toRealPath().resolve("m.safetensors"); // /proc lists the resolved path
        try (SafetensorsWriter w = SafetensorsWriter.create(file, List.of(big), Map.of())) {
            w.write("w", new float[1024 * 64]);
            w.finish();
        }
        List<Buffer> held = new ArrayList<>(); // every view stays reachable, as the runtime's do
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            held.add(r.bytes("w"));
            long once = mappingsOf(maps, file);
            for (int i = 0; i < 5; i++) {
                held.add(r.bytes("w"));
                held.add(r.floats("w"));
            }
            assertThat(once).as("the first view maps the file").isGreaterThanOrEqualTo(1);
            assertThat(mappingsOf(maps, file)).as("ten more views of the tensor").isEqualTo(once);
            ByteBuffer a = r.bytes("w");
            a.position(8);
            assertThat(r.bytes("w").position()).as("each view has its own position").isZero();
        }
        assertThat(held).hasSize(11);
    }

    private static long mappingsOf(Path maps, Path file) throws IOException {
        return Files.readAllLines(maps).stream().filter(l -> l.endsWith(file.toString())).count();
    }
}
