package net.gpt2j.bench;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code gpt2 -v generate --ids} run said: its summary line and its {@code -v} timings line
 * (stderr), and the ids it printed (stdout's last line). Every field the benchmark needs must be
 * there: a run whose lines changed shape fails naming the line, rather than yielding a wrong figure.
 */
record CliOutput(double loadSeconds, int promptTokens, int newTokens, double generateSeconds, String device,
        double jvmStartToMainSeconds, double mainToCommandSeconds, double commandToLoadSeconds, double prefillSeconds, double decodeSeconds,
        int[] ids) {

    /** {@code gpt2 generate: loaded in 2.31 s; 5 prompt tokens, 32 new tokens in 0.71 s (45.1 tok/s) on cpu()}. */
    private static final Pattern SUMMARY = Pattern.compile("gpt2 generate: loaded in ([0-9.]+) s; (\\d+) prompt tokens?, "
            + "(\\d+) new tokens? in ([0-9.]+) s \\([0-9.]+ tok/s\\) on (.+)");
    /** The {@code -v} line: {@code gpt2 generate: timings: JVM start to main 0.12 s, command to load 0.30 s, ...}. */
    private static final Pattern TIMINGS = Pattern.compile("gpt2 generate: timings: JVM start to main ([0-9.]+) s, "
            + "main to command ([0-9.]+) s, command to load ([0-9.]+) s, load ([0-9.]+) s, prefill ([0-9.]+) s \\(\\d+ tokens, first token decided\\), "
            + "decode ([0-9.]+) s \\(\\d+ steps, [0-9.]+ steps/s\\)");

    static CliOutput parse(List<String> stdout, List<String> stderr) {
        Matcher summary = find(SUMMARY, stderr, "a summary line 'gpt2 generate: loaded in ... tok/s) on ...'");
        Matcher timings = find(TIMINGS, stderr, "a -v line 'gpt2 generate: timings: JVM start to main ...'");
        return new CliOutput(Double.parseDouble(summary.group(1)), Integer.parseInt(summary.group(2)),
                Integer.parseInt(summary.group(3)), Double.parseDouble(summary.group(4)), summary.group(5),
                Double.parseDouble(timings.group(1)), Double.parseDouble(timings.group(2)),
                Double.parseDouble(timings.group(3)), Double.parseDouble(timings.group(5)),
                Double.parseDouble(timings.group(6)), ids(stdout));
    }

    /**
     * Tokens per second over the whole generation. Prefill and decode are printed to the millisecond
     * (the summary's seconds to the hundredth): their sum is the finer measure of the same span.
     */
    double tokensPerSecond() {
        return newTokens / (prefillSeconds + decodeSeconds);
    }

    /** The decode steps after the first token, per second. */
    double decodeStepsPerSecond() {
        return (newTokens - 1) / decodeSeconds;
    }

    private static Matcher find(Pattern pattern, List<String> lines, String what) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line.trim());
            if (m.matches()) {
                return m;
            }
        }
        throw new IllegalStateException("gpt2 generate printed no " + what + " on stderr; it printed: " + lines);
    }

    /** {@code --ids} prints {@code [id, id, ...]} as the last line of stdout, after the text. */
    private static int[] ids(List<String> stdout) {
        for (int i = stdout.size() - 1; i >= 0; i--) {
            String line = stdout.get(i).trim();
            if (line.startsWith("[") && line.endsWith("]")) {
                String body = line.substring(1, line.length() - 1).trim();
                return body.isEmpty() ? new int[0]
                        : Arrays.stream(body.split(",\\s*")).mapToInt(Integer::parseInt).toArray();
            }
        }
        throw new IllegalStateException("gpt2 generate --ids printed no '[id, ...]' line on stdout; it printed: " + stdout);
    }
}
