package net.gpt2j.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code kit-report.md}: the summary table with the worst margin per kind, each port provider
 * failure once with its cause chain, every failure's full report, every numeric case's margin, and
 * the skip reasons.
 */
final class MarkdownReport {

    static final String FILE_NAME = "kit-report.md";

    private MarkdownReport() {}

    static Path write(KitResult result, Tolerances tolerances, Path dir) {
        StringBuilder md = new StringBuilder("# gpt2j kit report\n\n");
        md.append(result.success() ? "**OK**" : "**NOT OK**").append(": ").append(result.passed()).append(" passed, ")
                .append(result.failed()).append(" failed, ").append(result.skipped()).append(" skipped.\n\n");
        md.append("Tolerances: ").append(tolerances).append(".\n\n");
        md.append("| kind | cases | passed | failed | skipped | worst max \\|diff\\| of tolerance |\n"
                + "| --- | ---: | ---: | ---: | ---: | --- |\n");
        result.byKind().forEach((k, c) -> md.append("| ").append(k).append(" | ").append(c.cases()).append(" | ")
                .append(c.passed()).append(" | ").append(c.failed()).append(" | ").append(c.skipped()).append(" | ")
                .append(result.worstMarginText(k)).append(" |\n"));
        md.append("| **total** | ").append(result.total()).append(" | ").append(result.passed()).append(" | ")
                .append(result.failed()).append(" | ").append(result.skipped()).append(" | |\n");
        if (!result.providerFailures().isEmpty()) {
            md.append("\n## Port provider failures\n");
            for (KitResult.ProviderFailure f : result.providerFailures()) {
                md.append("\n### ").append(f.model()).append("\n\n").append(f.rootCause().replace("|", "\\|"))
                        .append("\n\n```\n").append(f.causeChain()).append("\n```\n");
            }
        }
        if (!result.failures().isEmpty()) {
            md.append("\n## Failures\n");
            for (KitResult.Failure f : result.failures()) {
                md.append("\n### ").append(f.test()).append("\n\n```\n").append(f.message()).append("\n```\n");
            }
        }
        if (!result.margins().isEmpty()) {
            md.append("\n## Margins\n\nEvery numeric case, pass or fail: the largest difference and the tolerance it was judged by.\n\n"
                    + "| case | result | max \\|diff\\| | tolerance | share |\n| --- | --- | ---: | ---: | ---: |\n");
            for (KitResult.CaseMargin m : result.margins()) {
                md.append("| ").append(m.test().replace("|", "\\|")).append(" | ").append(m.passed() ? "OK" : "NOT OK")
                        .append(" | ").append(String.format(java.util.Locale.ROOT, "%.1e", m.margin().maxDiff()))
                        .append(" | ").append(String.format(java.util.Locale.ROOT, "%.1e %s", m.margin().tolerance(), m.margin().kind()))
                        .append(" | ").append(String.format(java.util.Locale.ROOT, "%.0f%%", 100 * m.margin().fraction())).append(" |\n");
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
