package net.gpt2j.converter.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.gpt2j.converter.WorkFolders;

/**
 * The temporary folder archive members are extracted into ({@code .<archive>.unpacked-XXXX} next
 * to the output), created on first use and deleted on close.
 */
final class Scratch implements AutoCloseable {

    private final Path parent;
    private final String archiveName;
    private Path root;

    Scratch(Path parent, String archiveName) {
        this.parent = parent;
        this.archiveName = archiveName;
    }

    /** Copies {@code in} to {@code relative} (already checked by {@link EntryNames}) and returns the file. */
    Path extract(String relative, InputStream in) throws IOException {
        if (root == null) {
            root = WorkFolders.create(parent, "." + archiveName + ".unpacked-");
        }
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            // EntryNames refuses such names already; this guards the file system, not the message
            throw new SourceException("archive " + archiveName + " entry " + relative + " would land outside " + root);
        }
        Files.createDirectories(target.getParent());
        try (var out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            in.transferTo(out);
        }
        return target;
    }

    Path root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        WorkFolders.delete(root);
        root = null;
    }
}
