package net.gpt2j.converter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The hidden folders a run writes beside its output ({@code .OUT.partial-*}, {@code
 * .SRC.unpacked-*}, a fixture's {@code OUT.partial-*}) and how they never outlive their writer:
 *
 * <ul>
 *   <li>each is created by a plain mkdir, so it (and the output it becomes) has the permissions
 *       the user's umask gives, not {@code Files.createTempDirectory}'s forced 0700;
 *   <li>each holds a marker file naming its writer (PID and process start time);
 *   <li>a shutdown hook deletes the live ones on SIGINT or SIGTERM;
 *   <li>after a SIGKILL or a power cut, the next run in the same parent deletes the ones of our
 *       naming whose marker names a process that is gone. A folder without our marker is never
 *       touched: we only delete what we can prove we wrote.
 * </ul>
 */
public final class WorkFolders {

    /** The marker file inside a work folder: {@code pid=N} and {@code start=ISO-instant}. */
    public static final String MARKER = ".gpt2j-writer";

    /** Our naming: what {@link #create} makes with the prefixes the converter and the fixture writer use. */
    private static final Pattern OURS = Pattern.compile(".+\\.(partial|unpacked)-[0-9a-z]+");

    /**
     * Held by the shutdown hook while it deletes, and by a caller while it renames a work folder
     * into place, so the hook never deletes a folder half-way through becoming the output.
     */
    public static final Object LOCK = new Object();

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(WorkFolders::deleteLive, "gpt2j-work-folder-cleanup"));
    }

    private WorkFolders() {}

    /**
     * Sweeps stale work folders from {@code parent}, then creates {@code parent/<prefix><random>}
     * (prefix e.g. {@code .model.partial-}) with the umask's permissions and our marker inside,
     * registered for deletion if the JVM is stopped by a signal before {@link #release}.
     */
    public static Path create(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        sweepStale(parent);
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
            try {
                Files.createDirectory(dir); // plain mkdir: honours the umask
            } catch (FileAlreadyExistsException e) {
                if (attempt < 100) {
                    continue;
                }
                throw e;
            } catch (IOException e) { // the JDK names the random work folder, which tells a user nothing
                IOException named = new IOException("cannot create a folder in " + parent + " (" + reason(e) + ")");
                named.addSuppressed(e); // not the cause: a one-line report would repeat the work folder's name
                throw named;
            }
            LIVE.add(dir);
            Files.writeString(dir.resolve(MARKER), markerText(ProcessHandle.current()), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW);
            return dir;
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** Removes the marker before {@code dir} becomes an output under its final name. */
    public static void removeMarker(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(MARKER));
    }

    /** The folder is gone or has become an output: the shutdown hook must no longer delete it. */
    public static void release(Path dir) {
        LIVE.remove(dir);
    }

    /** Deletes {@code dir} and forgets it. */
    public static void delete(Path dir) throws IOException {
        try {
            FileTrees.deleteRecursively(dir);
        } finally {
            release(dir);
        }
    }

    /** Deletes every work folder in {@code parent} of our naming whose marker names a writer no longer running. */
    public static List<Path> sweepStale(Path parent) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, p -> OURS.matcher(p.getFileName().toString()).matches())) {
            for (Path dir : entries) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && writerIsGone(dir)) {
                    try {
                        FileTrees.deleteRecursively(dir);
                        removed.add(dir);
                    } catch (IOException e) {
                        // another run may be sweeping the same folder; what is left goes next time
                    }
                }
            }
        } catch (IOException e) {
            // an unlistable parent: the creation that follows reports it
        }
        return removed;
    }

    static String markerText(ProcessHandle p) {
        return "pid=" + p.pid() + "\nstart=" + p.info().startInstant().map(Instant::toString).orElse("unknown") + "\n";
    }

    /** True only when the marker is ours and readable and names a process that is not running (or a reused PID). */
    static boolean writerIsGone(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        long pid;
        String start;
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            if (lines.size() != 2 || !lines.get(0).startsWith("pid=") || !lines.get(1).startsWith("start=")) {
                return false;
            }
            pid = Long.parseLong(lines.get(0).substring(4));
            start = lines.get(1).substring(6);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        Optional<ProcessHandle> writer = ProcessHandle.of(pid);
        if (writer.isEmpty() || !writer.get().isAlive()) {
            return true;
        }
        // the PID is in use: by our writer, unless the process holding it started at another time
        Optional<Instant> running = writer.get().info().startInstant();
        return !start.equals("unknown") && running.isPresent() && !running.get().toString().equals(start);
    }

    private static void deleteLive() {
        synchronized (LOCK) {
            for (Path dir : LIVE) {
                // the interrupted thread may still be adding files while the walk deletes: a few tries
                for (int attempt = 0; attempt < 5 && Files.exists(dir, LinkOption.NOFOLLOW_LINKS); attempt++) {
                    try {
                        FileTrees.deleteRecursively(dir);
                    } catch (IOException | RuntimeException e) {
                        // the JVM is going down: nothing can be reported; the next run's sweep retries
                    }
                }
            }
            LIVE.clear();
        }
    }
}
