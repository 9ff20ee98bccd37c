package net.gpt2j.converter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work folders honour the umask, vanish on SIGTERM, and are swept by the next run after a SIGKILL. */
class WorkFoldersTest {

    @TempDir
    Path parent;

    /** Run in a child JVM: creates a work folder in args[0], prints it, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        Path work = WorkFolders.create(Path.of(args[0]), ".model.partial-");
        Files.write(work.resolve("model.safetensors"), new byte[1 << 16]);
        System.out.println(work);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private Process startWriter() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WorkFoldersTest.class.getName(),
                parent.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Path announced(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return Path.of(out.readLine());
    }

    @Test
    void sigtermRemovesTheWorkFolder() throws Exception {
        Process writer = startWriter();
        Path work = announced(writer);
        assertThat(work.resolve("model.safetensors")).exists();
        writer.destroy(); // SIGTERM
        assertThat(writer.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(work).doesNotExist();
    }

    @Test
    void afterSigkillTheNextRunInTheSameParentSweepsIt() throws Exception {
        Process writer = startWriter();
        Path work = announced(writer);
        writer.destroyForcibly(); // SIGKILL: no hook runs
        assertThat(writer.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(work.resolve(WorkFolders.MARKER)).exists();

        Path next = WorkFolders.create(parent, ".other.unpacked-");
        assertThat(work).doesNotExist();
        assertThat(next).isDirectory();
        WorkFolders.delete(next);
    }

    @Test
    void onlyOurMarkedFoldersWithAGoneWriterAreSwept() throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        gone.waitFor();
        String deadMarker = "pid=" + gone.pid() + "\nstart=" + gone.info().startInstant().map(Object::toString).orElse("unknown") + "\n";

        Path stale = marked(".model.partial-abc123", deadMarker);
        Path live = marked(".model.partial-def456", WorkFolders.markerText(ProcessHandle.current()));
        Path unmarked = Files.createDirectories(parent.resolve(".model.partial-0000"));
        Path foreignName = marked("model-backup", deadMarker);
        Path garbled = marked(".x.unpacked-1", "pid=banana\n");

        assertThat(WorkFolders.sweepStale(parent)).containsExactly(stale);
        assertThat(live).isDirectory();
        assertThat(unmarked).isDirectory();
        assertThat(foreignName).isDirectory();
        assertThat(garbled).isDirectory();
    }

    private Path marked(String name, String marker) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve("data"), "x");
        Files.writeString(dir.resolve(WorkFolders.MARKER), marker);
        return dir;
    }

    @Test
    void aWorkFolderHasThePermissionsOfAPlainMkdir() throws Exception {
        Path plain = Files.createDirectory(parent.resolve("plain"));
        Path work = WorkFolders.create(parent, ".out.partial-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
        WorkFolders.delete(work);
        assertThat(work).doesNotExist();
    }
}
