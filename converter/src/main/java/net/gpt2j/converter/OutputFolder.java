package net.gpt2j.converter;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The output folder as an all-or-nothing unit: everything is written into {@code
 * .<name>.partial-XXXX} beside the target and renamed into place at the end, so a crash or an
 * error never leaves a half-written model where a runtime would load it. Closing without {@link
 * #commit()} deletes the partial folder.
 */
final class OutputFolder implements AutoCloseable {

    private final Path target;
    private final boolean force;
    private final Path work;
    private boolean committed;

    private OutputFolder(Path target, boolean force, Path work) {
        this.target = target;
        this.force = force;
        this.work = work;
    }

    /** Refuses an existing target unless {@code force}, then creates the partial folder beside it. */
    static OutputFolder prepare(Path target, boolean force) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        if (t.getFileName() == null || t.getParent() == null) {
            throw new ConversionException("output folder " + target + " must be a named folder, not a root");
        }
        checkTarget(t, force);
        Path work = WorkFolders.create(t.getParent(), "." + t.getFileName() + ".partial-");
        return new OutputFolder(t, force, work);
    }

    /** Refuses a target {@link OutputTarget} rules out; cheap, so callers run it before any heavy work. */
    static void checkTarget(Path target, boolean force) throws ConversionException {
        OutputTarget.checkReplaceable(target, force);
    }

    Path target() {
        return target;
    }

    /** The partial folder to write into. */
    Path work() {
        return work;
    }

    /** Writing into the partial folder. */
    interface Writing {
        void run() throws IOException;
    }

    /**
     * Runs {@code writing}, which writes {@code what} into the partial folder. A failure that names no
     * file (a full disk says only "No space left on device") is told what was being written, and where;
     * one that names its file already ({@link FileSystemException}) passes as it is.
     */
    void write(String what, Writing writing) throws IOException {
        try {
            writing.run();
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot write " + what + " into " + work + ": " + e.getMessage(), e);
        }
    }

    /** Renames the partial folder to the target; with force, the old folder is swapped out and then deleted. */
    void commit() throws IOException {
        checkTarget(target, force);
        synchronized (WorkFolders.LOCK) { // the signal cleanup must not delete the folder half-way through the renames
            WorkFolders.removeMarker(work);
            swapIn();
            WorkFolders.release(work);
        }
    }

    private void swapIn() throws IOException {
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
            atomicMove(target, old);
        }
        try {
            atomicMove(work, target);
        } catch (IOException e) {
            if (old != null) {
                try {
                    atomicMove(old, target);
                } catch (IOException restore) {
                    e.addSuppressed(restore);
                }
            }
            throw e;
        }
        committed = true;
        if (old != null) {
            deleteRecursively(old);
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            WorkFolders.delete(work);
        }
    }

    private static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new ConversionException("cannot rename " + from + " to " + to + " atomically", e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        FileTrees.deleteRecursively(root);
    }
}
