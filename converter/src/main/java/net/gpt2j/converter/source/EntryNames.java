package net.gpt2j.converter.source;

/**
 * Checks an archive entry's name before anything is extracted: an entry must stay inside the folder
 * it is unpacked into ("zip slip"), so absolute names and {@code ..} segments are refused outright
 * rather than cleaned up, since an archive that carries them is not a checkpoint download.
 */
final class EntryNames {

    private EntryNames() {}

    /** The entry's relative path with '/' separators, without a leading "./" or a trailing '/'. */
    static String safeRelative(String entryName, String archive) throws SourceException {
        String n = entryName.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
            throw new SourceException("archive " + archive + " has an entry with an absolute name, refused: " + entryName);
        }
        if (n.indexOf('\0') >= 0) {
            throw new SourceException("archive " + archive + " has an entry name with a NUL byte, refused: " + entryName);
        }
        StringBuilder out = new StringBuilder();
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                throw new SourceException("archive " + archive + " has an entry that escapes the folder it unpacks into ("
                        + "'..'), refused: " + entryName);
            }
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }
}
