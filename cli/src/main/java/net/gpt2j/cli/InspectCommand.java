package net.gpt2j.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import net.gpt2j.converter.checkpoint.CheckpointReader;
import net.gpt2j.converter.checkpoint.JavaCheckpointReader;
import net.gpt2j.converter.checkpoint.TensorEntry;
import net.gpt2j.converter.source.CheckpointSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List a checkpoint's tensors (name, dtype, shape, offset, size) from its index. "
                + "SRC is a checkpoint folder, an archive (.tar, .tar.gz, .tgz, .zip) or a lone .index file.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SRC")
    Path src;

    @picocli.CommandLine.Option(names = "--json", description = "Print the tensor table as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (Files.isRegularFile(src) && src.getFileName().toString().endsWith(".index")) {
            // a lone index (e.g. OpenAI's real 117M index without its 475 MB shard): listing needs no shard
            try (CheckpointReader reader = JavaCheckpointReader.fromIndex(Files.readAllBytes(src), src.toString(), List.of())) {
                show(out, src.toString(), reader.tensors());
            }
            return 0;
        }
        Path scratchParent = Files.createTempDirectory("gpt2-inspect-");
        try (CheckpointSource source = CheckpointSource.openForListing(src, scratchParent);
                CheckpointReader reader = source.openReader()) {
            show(out, source.description(), reader.tensors());
            if (!source.absentShards().isEmpty()) {
                // on stderr with --json, so stdout stays one JSON document
                (json ? System.err : out).println("data shard(s) absent: " + source.absentShards()
                        + "; tensors listed from the index only (convert needs the shard)");
            }
        } finally {
            Files.deleteIfExists(scratchParent);
        }
        return 0;
    }

    private void show(PrintStream out, String what, List<TensorEntry> tensors) throws Exception {
        if (json) {
            out.println(TensorTableJson.of(what, tensors));
        } else {
            print(out, what, tensors);
        }
    }

    static void print(PrintStream out, String what, List<TensorEntry> tensors) {
        out.printf("%-32s %-9s %-18s %5s %12s %12s%n", "name", "dtype", "shape", "shard", "offset", "size");
        long total = 0;
        for (TensorEntry e : tensors) {
            out.printf("%-32s %-9s %-18s %5d %12d %12d%n", e.name(), e.dtype(), e.shapeString().replace(" ", ""),
                    e.shardId(), e.offset(), e.size());
            total += e.size();
        }
        out.printf("%s: %d tensors, %,d bytes%n", what, tensors.size(), total);
    }
}
