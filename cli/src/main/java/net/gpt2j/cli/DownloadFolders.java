package net.gpt2j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code download}'s handling of names and folders, around the converter's {@code Downloader}. */
final class DownloadFolders {

    /** OpenAI first published 124M and 355M as 117M and 345M (the release bucket uses the new names). */
    static final Map<String, String> ALIASES = Map.of("117M", "124M", "345M", "355M");

    private DownloadFolders() {}

    static String canonicalSize(String size) {
        String upper = size.toUpperCase(Locale.ROOT);
        return ALIASES.getOrDefault(upper, upper);
    }

    /**
     * Runs the download; when it fails, removes DIR/SIZE and DIR if this run created them and they are
     * still empty (a partial file is kept: the next run resumes it).
     */
    static Path removingEmptyOnFailure(Path dir, String size, Callable<Path> download) throws Exception {
        boolean dirExisted = Files.exists(dir);
        Path folder = dir.resolve(size);
        boolean folderExisted = Files.exists(folder);
        try {
            return download.call();
        } catch (Exception | Error e) {
            if (!folderExisted) {
                deleteIfEmpty(folder);
            }
            if (!dirExisted) {
                deleteIfEmpty(dir);
            }
            throw e;
        }
    }

    private static void deleteIfEmpty(Path folder) {
        try {
            if (Files.isDirectory(folder)) {
                try (var entries = Files.list(folder)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(folder);
                    }
                }
            }
        } catch (IOException e) {
            // best effort: the download's own error is what the user needs to see
        }
    }
}
