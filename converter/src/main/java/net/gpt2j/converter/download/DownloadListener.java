package net.gpt2j.converter.download;

/** How a download reports progress; the CLI renders a progress bar per file. Library code prints nothing. */
public interface DownloadListener {

    DownloadListener SILENT = new DownloadListener() {};

    /** A file starts (or resumes): {@code alreadyHave} bytes are on disk from an earlier attempt, of {@code total}. */
    default void started(String file, long alreadyHave, long total) {}

    /** {@code done} of {@code total} bytes of {@code file} are on disk. */
    default void progress(String file, long done, long total) {}

    /** A file is complete; {@code skipped} when it was already complete before this run. */
    default void finished(String file, boolean skipped) {}
}
