package net.gpt2j.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import net.gpt2j.converter.ConversionListener;

/**
 * Renders a conversion's phases as progress bars on stderr (me.tongfei:progressbar) when stderr is a
 * terminal, and its warnings as lines (unless {@code -q}). Off a terminal there are no bars: a log
 * would only collect carriage-return-joined redraws.
 */
final class ProgressBarListener implements ConversionListener, AutoCloseable {

    private final PrintStream err;
    private final boolean bars;
    private ProgressBar bar;

    ProgressBarListener(PrintStream err) {
        this.err = err;
        this.bars = Terminal.showProgress();
    }

    @Override
    public void phase(String description, long totalBytes) {
        close();
        if (!bars) {
            if (Verbosity.verbose()) {
                err.println(description);
            }
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(description)
                .setInitialMax(totalBytes > 0 ? totalBytes : -1)
                .setUnit(" MB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }

    @Override
    public void progress(long bytesDone, String item) {
        if (bar != null) {
            bar.stepTo(bytesDone);
            bar.setExtraMessage(item);
        }
    }

    @Override
    public void warning(String message) {
        if (Verbosity.quiet()) {
            return;
        }
        err.println("warning: " + message);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
