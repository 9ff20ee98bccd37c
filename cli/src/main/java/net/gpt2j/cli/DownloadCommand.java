package net.gpt2j.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import net.gpt2j.converter.download.DownloadListener;
import net.gpt2j.converter.download.Downloader;
import net.gpt2j.converter.download.Timeouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Fetch OpenAI's seven release files of SIZE (124M, 355M, 774M, 1558M; OpenAI's original names 117M "
                + "and 345M are accepted for 124M and 355M) into DIR/SIZE/, resuming partial files, skipping complete ones "
                + "and verifying sizes. A failed download leaves no empty folder behind.")
final class DownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SIZE")
    String size;

    @Option(names = "--dir", required = true, description = "Parent folder; files go to DIR/SIZE/.")
    Path dir;

    @Option(names = "--base-url", description = "Mirror to fetch from instead of OpenAI's public bucket (…/SIZE/FILE is appended).")
    URI baseUrl;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Give up on a server that has not answered a request after this long. Default: ${DEFAULT-VALUE}.")
    long responseTimeout;

    @Option(names = "--idle-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Give up on a transfer that has received nothing for this long (the .part file is kept). Default: ${DEFAULT-VALUE}.")
    long idleTimeout;

    @Override
    public Integer call() throws Exception {
        String release = OptionValue.parse(spec, "SIZE", DownloadFolders.canonicalSize(size), Downloader::checkSize);
        if (responseTimeout <= 0) {
            throw OptionValue.refused(spec, "--timeout must be a positive number of seconds, got " + responseTimeout);
        }
        if (idleTimeout <= 0) {
            throw OptionValue.refused(spec, "--idle-timeout must be a positive number of seconds, got " + idleTimeout);
        }
        Timeouts timeouts = new Timeouts(Timeouts.DEFAULT.connect(), Duration.ofSeconds(responseTimeout), Duration.ofSeconds(idleTimeout));
        Downloader downloader = new Downloader(baseUrl == null ? Downloader.OPENAI_BASE : baseUrl, timeouts);
        Path folder = DownloadFolders.removingEmptyOnFailure(dir, release,
                () -> downloader.download(release, dir, new BarPerFile()));
        System.out.println("GPT-2 " + release + " is complete in " + folder);
        return 0;
    }

    /** One progress bar per file, on stderr. */
    private static final class BarPerFile implements DownloadListener {
        private ProgressBar bar;

        @Override
        public void started(String file, long alreadyHave, long total) {
            if (!Terminal.showProgress()) {
                return;
            }
            bar = new ProgressBarBuilder().setTaskName(file).setInitialMax(total).setUnit(" MB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .startsFrom(alreadyHave, java.time.Duration.ZERO).build();
        }

        @Override
        public void progress(String file, long done, long total) {
            if (bar != null) {
                bar.stepTo(done);
            }
        }

        @Override
        public void finished(String file, boolean skipped) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            if (skipped && !Verbosity.quiet()) {
                System.err.println(file + ": already complete");
            }
        }
    }
}
