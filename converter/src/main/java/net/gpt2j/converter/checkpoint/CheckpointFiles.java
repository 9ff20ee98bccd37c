package net.gpt2j.converter.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file names of a TF V2 checkpoint in a folder: the {@code checkpoint} state file names the
 * prefix ({@code model_checkpoint_path: "model.ckpt"}); the index is {@code <prefix>.index} and the
 * shards {@code <prefix>.data-00000-of-00001} etc.
 */
public final class CheckpointFiles {

    public static final String STATE_FILE = "checkpoint";
    private static final Pattern MODEL_PATH = Pattern.compile("(?m)^\\s*model_checkpoint_path:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*$");

    private CheckpointFiles() {}

    /** The prefix named by {@code folder/checkpoint}, resolved against {@code folder} (e.g. {@code folder/model.ckpt}). */
    public static Path prefix(Path folder) throws CheckpointException {
        Path state = folder.resolve(STATE_FILE);
        String text;
        try {
            text = Files.readString(state, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("missing checkpoint state file " + state
                    + " (it names the checkpoint prefix, e.g. model_checkpoint_path: \"model.ckpt\")");
        } catch (IOException e) {
            throw new CheckpointException("cannot read checkpoint state file " + state + ": " + e.getMessage(), e);
        }
        Matcher m = MODEL_PATH.matcher(text);
        if (!m.find()) {
            throw new CheckpointException("checkpoint state file " + state
                    + " has no line model_checkpoint_path: \"...\"");
        }
        String prefix = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        // OpenAI's files name the prefix relative to the folder; an absolute path from another machine
        // is useless here, so only its last part is kept.
        Path named = Path.of(prefix);
        return folder.resolve(named.isAbsolute() ? named.getFileName() : named);
    }

    public static Path indexFile(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".index");
    }

    public static String shardFileName(String prefixName, int shard, int numShards) {
        return String.format("%s.data-%05d-of-%05d", prefixName, shard, numShards);
    }

    public static Path shardFile(Path prefix, int shard, int numShards) {
        return prefix.resolveSibling(shardFileName(prefix.getFileName().toString(), shard, numShards));
    }
}
