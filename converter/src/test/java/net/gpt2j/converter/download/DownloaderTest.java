package net.gpt2j.converter.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a local server on 127.0.0.1 that serves synthetic release files and honours Range requests. */
class DownloaderTest {

    @TempDir
    Path dir;
    HttpServer server;
    URI base;
    final Map<String, byte[]> files = new HashMap<>();
    /** "METHOD /path Range" of every request, in order. */
    final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Per path: an HTTP status to answer with instead of the file. */
    final Map<String, Integer> failWith = new ConcurrentHashMap<>();
    /** Per path: a total size to claim in Content-Range that differs from the real one. */
    final Map<String, Long> lieAboutTotal = new ConcurrentHashMap<>();
    /** Per path: send only this many body bytes of a full response, then drop the connection. */
    final Map<String, Integer> truncateAt = new ConcurrentHashMap<>();

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    @BeforeEach
    void start() throws IOException {
        int i = 0;
        for (String f : Downloader.FILES) {
            byte[] b = new byte[f.startsWith("model.ckpt.data") ? 300_000 : 100 + 37 * i];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (j * 31 + i);
            }
            files.put("/models/124M/" + f, b);
            i++;
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/models/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
        byte[] body = files.get(path);
        try (ex) {
            if (failWith.containsKey(path)) {
                ex.sendResponseHeaders(failWith.get(path), -1);
                return;
            }
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(body.length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                from = Integer.parseInt(m.group(1));
                if (from >= body.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                long total = lieAboutTotal.getOrDefault(path, (long) body.length);
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + total);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            OutputStream out = ex.getResponseBody();
            int end = truncateAt.containsKey(path) && from == 0 ? truncateAt.get(path) : body.length;
            out.write(body, from, end - from);
            out.flush();
            if (end < body.length) {
                // drop the connection mid-body, as a flaky network would
                ex.getHttpContext().getServer().stop(0);
            }
        }
    }

    private Path target(String f) {
        return dir.resolve("124M").resolve(f);
    }

    private byte[] served(String f) {
        return files.get("/models/124M/" + f);
    }

    private List<String> gets() {
        return requests.stream().filter(r -> r.startsWith("GET")).toList();
    }

    @Test
    void downloadsAllSevenFilesIntoTheSizeFolder() throws Exception {
        List<String> finished = new ArrayList<>();
        long[] lastShardProgress = {0};
        Path folder = new Downloader(base).download("124M", dir, new DownloadListener() {
            @Override
            public void progress(String file, long done, long total) {
                if (file.startsWith("model.ckpt.data")) {
                    lastShardProgress[0] = done;
                }
            }

            @Override
            public void finished(String file, boolean skipped) {
                finished.add(file + (skipped ? " skipped" : ""));
            }
        });
        assertThat(folder).isEqualTo(dir.resolve("124M"));
        for (String f : Downloader.FILES) {
            assertThat(Files.readAllBytes(target(f))).as(f).isEqualTo(served(f));
            assertThat(target(f).resolveSibling(f + ".part")).doesNotExist();
        }
        assertThat(finished).containsExactlyElementsOf(Downloader.FILES);
        assertThat(lastShardProgress[0]).isEqualTo(300_000);
        assertThat(gets()).hasSize(7).allSatisfy(r -> assertThat(r).doesNotContain("bytes="));
    }

    @Test
    void resumesAPartialFileWithARangeRequest() throws Exception {
        String shard = "model.ckpt.data-00000-of-00001";
        Files.createDirectories(dir.resolve("124M"));
        Files.write(target(shard + ".part"), Arrays.copyOf(served(shard), 123_456));
        long[] started = {-1};
        new Downloader(base).download("124M", dir, new DownloadListener() {
            @Override
            public void started(String file, long alreadyHave, long total) {
                if (file.equals(shard)) {
                    started[0] = alreadyHave;
                }
            }
        });
        assertThat(gets()).contains("GET /models/124M/" + shard + " bytes=123456-");
        assertThat(started[0]).isEqualTo(123_456);
        assertThat(Files.readAllBytes(target(shard))).isEqualTo(served(shard));
        assertThat(target(shard + ".part")).doesNotExist();
    }

    @Test
    void aPartFileThatIsAlreadyWholeIsRenamedWithoutDownloadingAgain() throws Exception {
        Files.createDirectories(dir.resolve("124M"));
        Files.write(target("vocab.bpe.part"), served("vocab.bpe"));
        new Downloader(base).download("124M", dir, DownloadListener.SILENT);
        assertThat(Files.readAllBytes(target("vocab.bpe"))).isEqualTo(served("vocab.bpe"));
        assertThat(target("vocab.bpe.part")).doesNotExist();
    }

    @Test
    void completeFilesAreSkippedAfterASizeCheck() throws Exception {
        Files.createDirectories(dir.resolve("124M"));
        for (String f : Downloader.FILES) {
            Files.write(target(f), served(f));
        }
        List<String> skipped = new ArrayList<>();
        new Downloader(base).download("124M", dir, new DownloadListener() {
            @Override
            public void finished(String file, boolean wasSkipped) {
                if (wasSkipped) {
                    skipped.add(file);
                }
            }
        });
        assertThat(gets()).isEmpty();
        assertThat(requests).hasSize(7).allSatisfy(r -> assertThat(r).startsWith("HEAD "));
        assertThat(skipped).containsExactlyElementsOf(Downloader.FILES);
    }

    @Test
    void anExistingFileOfTheWrongSizeIsReported() throws Exception {
        Files.createDirectories(dir.resolve("124M"));
        Files.write(target("checkpoint"), new byte[5]);
        assertThatThrownBy(() -> new Downloader(base).download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("checkpoint").hasMessageContaining("5 bytes");
    }

    @Test
    void aResumeWhoseContentRangeDisagreesWithTheBytesReceivedIsASizeMismatch() throws Exception {
        String shard = "model.ckpt.data-00000-of-00001";
        Files.createDirectories(dir.resolve("124M"));
        Files.write(target(shard + ".part"), Arrays.copyOf(served(shard), 1000));
        lieAboutTotal.put("/models/124M/" + shard, 300_100L);
        assertThatThrownBy(() -> new Downloader(base).download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining(shard)
                .hasMessageContaining("received 300000 bytes").hasMessageContaining("announced 300100");
        assertThat(target(shard)).doesNotExist();
        assertThat(target(shard + ".part")).as("kept for a later resume").exists();
    }

    @Test
    void aConnectionDroppedMidBodyKeepsThePartFileForResuming() throws Exception {
        String shard = "model.ckpt.data-00000-of-00001";
        truncateAt.put("/models/124M/" + shard, 50_000);
        assertThatThrownBy(() -> new Downloader(base).download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining(shard);
        assertThat(target(shard)).doesNotExist();
        assertThat(Files.size(target(shard + ".part"))).isLessThan(300_000);
    }

    @Test
    void aServerErrorIsReportedNamingTheFileAndStatus() throws Exception {
        failWith.put("/models/124M/model.ckpt.index", 500);
        assertThatThrownBy(() -> new Downloader(base).download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("model.ckpt.index").hasMessageContaining("HTTP 500")
                .hasMessageContaining(base.toString());
        assertThat(target("model.ckpt.index")).doesNotExist();
        assertThat(target("checkpoint")).exists(); // files before it completed
    }

    @Test
    void anUnknownSizeIsRefusedListingTheValidOnes() {
        assertThatThrownBy(() -> new Downloader(base).download("117X", dir, DownloadListener.SILENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("117X")
                .hasMessageContaining("[124M, 355M, 774M, 1558M]");
        assertThat(requests).isEmpty();
    }
}
