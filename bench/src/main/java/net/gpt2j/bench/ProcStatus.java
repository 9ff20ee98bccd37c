package net.gpt2j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory as the kernel counts it, from {@code /proc/self/status}: resident set
 * (VmRSS), its peak (VmHWM), and the anonymous / file-backed parts. File-backed pages (a memory-
 * mapped input) count in RSS but are page cache the kernel can drop, so both parts are shown.
 */
record ProcStatus(long rssKb, long hwmKb, long anonKb, long fileKb) {

    private static final Path STATUS = Path.of("/proc/self/status");

    static boolean available() {
        return Files.isReadable(STATUS);
    }

    static ProcStatus read() {
        long rss = -1;
        long hwm = -1;
        long anon = -1;
        long file = -1;
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                } else if (line.startsWith("RssAnon:")) {
                    anon = kb(line);
                } else if (line.startsWith("RssFile:")) {
                    file = kb(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS + " (memory figures need Linux)", e);
        }
        if (rss < 0 || hwm < 0) {
            throw new IllegalStateException(STATUS + " has no VmRSS/VmHWM lines");
        }
        return new ProcStatus(rss, hwm, anon, file);
    }

    /** "VmRSS:	  123456 kB" -> 123456. */
    private static long kb(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]);
    }

    static double mb(long kb) {
        return kb / 1024.0;
    }
}
