package net.gpt2j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's minor page faults so far (field 10 of {@code /proc/self/stat}): each is a page of
 * memory the kernel handed over and zeroed on first touch. A forward that faults thousands of pages
 * spends part of its time in the kernel (the JVM heap or the native allocator giving back and taking
 * again); see docs/DECISIONS.md, "JVM flags".
 */
final class PageFaults {

    private static final Path STAT = Path.of("/proc/self/stat");

    private PageFaults() {}

    /** Minor faults so far, or -1 where {@code /proc/self/stat} cannot be read (not Linux). */
    static long minor() {
        try {
            String stat = Files.readString(STAT);
            // the command name (field 2) is in parentheses and may hold spaces: count from its end
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(fields[7]); // field 10 of the whole line
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
