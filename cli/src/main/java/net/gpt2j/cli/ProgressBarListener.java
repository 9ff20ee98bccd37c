package net.gpt2j.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import net.gpt2j.converter.ConversionListener;

/** Renders a conversion's phases as progress bars on stderr (me.tongfei:progressbar) and its warnings as lines. */
final class ProgressBarListener implements ConversionListener, AutoCloseable {

    private final PrintStream err;
    private ProgressBar bar;

    ProgressBarListener(PrintStream err) {
        this.err = err;
    }

    @Override
    public void phase(String description, long totalBytes) {
        close();
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
