package net.gpt2j.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code kit-report.md}: the summary table, every failure's full report, and the skip reasons. */
final class MarkdownReport {

    static final String FILE_NAME = "kit-report.md";

    private MarkdownReport() {}

    static Path write(KitResult result, Tolerances tolerances, Path dir) {
        StringBuilder md = new StringBuilder("# gpt2j kit report\n\n");
        md.append(result.success() ? "**OK**" : "**NOT OK**").append(": ").append(result.passed()).append(" passed, ")
                .append(result.failed()).append(" failed, ").append(result.skipped()).append(" skipped.\n\n");
        md.append("Tolerances: ").append(tolerances).append(".\n\n");
        md.append("| kind | cases | passed | failed | skipped |\n| --- | ---: | ---: | ---: | ---: |\n");
        result.byKind().forEach((k, c) -> md.append("| ").append(k).append(" | ").append(c.cases()).append(" | ")
                .append(c.passed()).append(" | ").append(c.failed()).append(" | ").append(c.skipped()).append(" |\n"));
        md.append("| **total** | ").append(result.total()).append(" | ").append(result.passed()).append(" | ")
                .append(result.failed()).append(" | ").append(result.skipped()).append(" |\n");
        if (!result.failures().isEmpty()) {
            md.append("\n## Failures\n");
            for (KitResult.Failure f : result.failures()) {
                md.append("\n### ").append(f.test()).append("\n\n```\n").append(f.message()).append("\n```\n");
            }
        }
        if (!result.skipReasons().isEmpty()) {
            md.append("\n## Skipped\n\n| reason | cases |\n| --- | ---: |\n");
            result.skipReasons().forEach((reason, n) -> md.append("| ").append(reason.replace("|", "\\|")).append(" | ")
                    .append(n).append(" |\n"));
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE_NAME);
            Files.writeString(file, md, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kit report into " + dir, e);
        }
    }
}
