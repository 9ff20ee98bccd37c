package net.gpt2j.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Which folders {@code --out} may name. The output is renamed into place and, with {@code --force},
 * replaces what was there, so a wrong {@code --out} would delete whatever it names. Refused always:
 * a filesystem root, the home folder or one holding it, a mount point, a folder holding the working directory, and
 * anything that is, holds or lies inside the checkpoint being read. With {@code --force}, an
 * existing folder is replaced only when this tool wrote it (its manifest.json carries our
 * converter marker) and it holds nothing else ({@link ConvertedFolderEntries}), or when it is empty.
 */
public final class OutputTarget {

    /** The marker {@link Manifest} writes; a folder whose manifest.json lacks it was not written by us. */
    static final String MARKER_FIELD = "converter";
    static final String MARKER_VALUE = "gpt2j-converter";

    private static final JsonFactory JSON = new JsonFactory();

    private OutputTarget() {}

    /** Refuses an output that is, holds or lies inside the source (a folder or an archive). */
    public static void checkAgainstSource(Path source, Path target) throws ConversionException {
        requireNamed(target);
        Path s = real(source);
        Path t = real(target);
        if (t.equals(s) || t.startsWith(s) || s.startsWith(t)) {
            String how = t.equals(s) ? "is" : t.startsWith(s) ? "lies inside" : "holds";
            throw new ConversionException("output folder " + target + " " + how + " the checkpoint " + source
                    + " being converted; choose an --out outside it");
        }
    }

    /**
     * Refuses a target no conversion may write, whatever {@code force} says, and an existing one
     * {@code force} may not replace. Called before any work and again just before the rename.
     */
    static void checkReplaceable(Path target, boolean force) throws ConversionException {
        requireNamed(target);
        if (Files.isSymbolicLink(target.toAbsolutePath().normalize())) {
            // the rename would replace the link, the checks below would look at what it points to
            throw new ConversionException("output " + target + " is a symbolic link; refusing to replace it");
        }
        Path t = real(target);
        if (t.getParent() == null || t.getFileName() == null) {
            throw new ConversionException("output folder " + target + " is a filesystem root; refusing to write there");
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isEmpty() && real(Path.of(home)).startsWith(t)) {
            throw new ConversionException("output folder " + target + (t.equals(real(Path.of(home))) ? " is" : " holds")
                    + " the home folder; refusing to replace it");
        }
        if (real(Path.of("")).startsWith(t)) {
            throw new ConversionException("output folder " + target + " holds the working directory; refusing to replace it");
        }
        if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
            Path existing = nearestExisting(t);
            if (existing != null && !Files.isDirectory(existing)) {
                throw new ConversionException("output folder " + target + " cannot be created: " + existing
                        + " is a file, not a folder");
            }
            return;
        }
        if (!Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
            // replacing a file (or a link) is never what "replace the converted model" means, --force or not
            throw new ConversionException("output " + t + " exists and is not a folder; choose another --out");
        }
        if (!force) {
            throw new ConversionException("output folder " + t + " already exists; use force (--force) to replace it");
        }
        if (isMountPoint(t)) {
            throw new ConversionException("output folder " + t + " is a mount point; refusing to replace it");
        }
        if (!isEmpty(t) && !writtenByUs(t)) {
            throw new ConversionException("output folder " + t + " was not written by gpt2 convert (no " + Converter.MANIFEST
                    + " with \"" + MARKER_FIELD + "\": \"" + MARKER_VALUE + "\") and is not empty; --force replaces only"
                    + " a converted folder or an empty one: choose another --out");
        }
        List<String> others = ConvertedFolderEntries.notWrittenByUs(t);
        if (!others.isEmpty()) {
            // the folder is replaced whole: a user's notes or results saved into it would go with it
            throw new ConversionException("output folder " + t + " holds " + ConvertedFolderEntries.describe(others)
                    + " that gpt2 convert did not write; --force replaces only what it wrote: move "
                    + (others.size() == 1 ? "it" : "them") + " out or choose another --out");
        }
    }

    private static void requireNamed(Path target) throws ConversionException {
        if (target.toString().isEmpty()) { // Path.of("") is the working directory: never what an empty --out meant
            throw new ConversionException("output folder is an empty path; name the folder to write (--out)");
        }
    }

    /** The path with links resolved as far as it exists, so {@code a/../b} or a link to SRC cannot slip through. */
    static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = nearestExisting(abs);
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /** {@code p} or its nearest ancestor that exists; null when none does. */
    private static Path nearestExisting(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }

    private static boolean isMountPoint(Path dir) throws ConversionException {
        try {
            return !Files.getFileStore(dir).equals(Files.getFileStore(dir.getParent()));
        } catch (IOException e) {
            throw new ConversionException("cannot tell whether output folder " + dir + " is a mount point: " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws ConversionException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            throw new ConversionException("cannot list output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code dir/manifest.json} is a JSON object whose top-level marker field names this converter. */
    static boolean writtenByUs(Path dir) {
        Path manifest = dir.resolve(Converter.MANIFEST);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (JsonParser p = JSON.createParser(manifest.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(MARKER_FIELD)) {
                    return value == JsonToken.VALUE_STRING && MARKER_VALUE.equals(p.getText());
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
