package net.gpt2j.converter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What, in a folder {@code gpt2 convert} wrote, it did not write: a user's notes, an evaluation's
 * results, a sub-folder. {@code --force} swaps the whole folder out and deletes it, so anything
 * listed here would be deleted with it; {@link OutputTarget} refuses instead.
 *
 * <p>Ours are the files the folder's {@code manifest.json} names: itself, the model card
 * ({@code README.md}), the safetensors file, and every file in its {@code "written"} list (or
 * {@code "copied"}, the name an older manifest format gave OpenAI's tokenizer files), each as a
 * plain file: we write no links and no sub-folders. A manifest that cannot be read that way
 * leaves nothing ours but itself, so a doubt refuses rather than deletes. Our files' contents are
 * not compared with the manifest's hashes: a model card or a generation config edited in place is
 * still the converted model that {@code --force} was asked to replace.
 */
final class ConvertedFolderEntries {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NAMED = 3;

    private ConvertedFolderEntries() {}

    /** The entries of {@code dir} its manifest does not name as ours, sorted; sub-folders end in '/'. */
    static List<String> notWrittenByUs(Path dir) throws ConversionException {
        Set<String> ours = ours(dir.resolve(Converter.MANIFEST));
        List<String> others = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean plainFile = Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS);
                if (!plainFile || !ours.contains(name)) {
                    others.add(Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) ? name + "/" : name);
                }
            }
        } catch (IOException e) {
            throw new ConversionException("cannot list output folder " + dir + ": " + e.getMessage(), e);
        }
        others.sort(null);
        return others;
    }

    /** "NOTES.txt", "NOTES.txt and my-eval/", "a, b, c and 4 more". */
    static String describe(List<String> names) {
        List<String> shown = names.subList(0, Math.min(NAMED, names.size()));
        String quoted = String.join(", ", shown.stream().map(n -> "'" + n + "'").toList());
        int more = names.size() - shown.size();
        if (more > 0) {
            return quoted + " and " + more + " more";
        }
        if (shown.size() > 1) {
            int last = quoted.lastIndexOf(", ");
            return quoted.substring(0, last) + " and " + quoted.substring(last + 2);
        }
        return quoted;
    }

    private static Set<String> ours(Path manifest) {
        Set<String> ours = new HashSet<>();
        ours.add(Converter.MANIFEST);
        JsonNode m;
        try {
            m = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            return ours;
        }
        if (m == null || !m.isObject()) {
            return ours;
        }
        ours.add(Converter.README);
        JsonNode safetensors = m.path("safetensors").path("file");
        if (safetensors.isTextual()) {
            ours.add(safetensors.asText());
        }
        for (String list : List.of("written", "copied")) {
            for (JsonNode file : m.path(list)) {
                if (file.path("name").isTextual()) {
                    ours.add(file.path("name").asText());
                }
            }
        }
        return ours;
    }
}
