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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import net.gpt2j.golden.GoldenData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
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

    /** Per path: send the headers (and this many body bytes, -1 for none), then stall until the test ends. */
    final Map<String, Integer> stallAfter = new ConcurrentHashMap<>();
    /** Per path: serve this body instead (a Content-Length matching it, as a server serving a broken file would). */
    final Map<String, byte[]> serveInstead = new ConcurrentHashMap<>();
    final CountDownLatch testOver = new CountDownLatch(1);
    static final String SHARD = "model.ckpt.data-00000-of-00001";
    int shardLength;

    @BeforeEach
    void start() throws IOException {
        TinyRelease.files().forEach((f, b) -> files.put("/models/124M/" + f, b));
        shardLength = served(SHARD).length;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newCachedThreadPool()); // a stalled handler must not block the others
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/models/");
    }

    @AfterEach
    void stop() {
        testOver.countDown();
        server.stop(0);
    }

    private Downloader downloader() {
        return new Downloader(base, Timeouts.DEFAULT, ReleaseCheck.checkpointOnly());
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
        byte[] body = serveInstead.getOrDefault(path, files.get(path));
        try (ex) {
            if (stallAfter.containsKey(path) && !ex.getRequestMethod().equals("HEAD")) {
                int sent = stallAfter.get(path);
                if (sent >= 0) {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body, 0, sent);
                    ex.getResponseBody().flush();
                }
                try {
                    testOver.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
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
        Path folder = downloader().download("124M", dir, new DownloadListener() {
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
        assertThat(lastShardProgress[0]).isEqualTo(shardLength);
        assertThat(gets()).hasSize(7).allSatisfy(r -> assertThat(r).doesNotContain("bytes="));
    }

    @Test
    void resumesAPartialFileWithARangeRequest() throws Exception {
        String shard = "model.ckpt.data-00000-of-00001";
        Files.createDirectories(dir.resolve("124M"));
        Files.write(target(shard + ".part"), Arrays.copyOf(served(shard), 123_456));
        long[] started = {-1};
        downloader().download("124M", dir, new DownloadListener() {
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
        downloader().download("124M", dir, DownloadListener.SILENT);
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
        downloader().download("124M", dir, new DownloadListener() {
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
        assertThatThrownBy(() -> downloader().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("checkpoint").hasMessageContaining("5 bytes");
    }

    @Test
    void aResumeWhoseContentRangeDisagreesWithTheBytesReceivedIsASizeMismatch() throws Exception {
        String shard = "model.ckpt.data-00000-of-00001";
        Files.createDirectories(dir.resolve("124M"));
        Files.write(target(shard + ".part"), Arrays.copyOf(served(shard), 1000));
        lieAboutTotal.put("/models/124M/" + shard, shardLength + 100L);
        assertThatThrownBy(() -> downloader().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining(shard)
                .hasMessageContaining("received " + shardLength + " bytes").hasMessageContaining("announced " + (shardLength + 100));
        assertThat(target(shard)).doesNotExist();
        assertThat(target(shard + ".part")).as("kept for a later resume").exists();
    }

    @Test
    void aConnectionDroppedMidBodyKeepsThePartFileForResuming() throws Exception {
        String shard = "model.ckpt.data-00000-of-00001";
        truncateAt.put("/models/124M/" + shard, 50_000);
        assertThatThrownBy(() -> downloader().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining(shard);
        assertThat(target(shard)).doesNotExist();
        assertThat(Files.size(target(shard + ".part"))).isLessThan(shardLength);
    }

    @Test
    void aServerErrorIsReportedNamingTheFileAndStatus() throws Exception {
        failWith.put("/models/124M/model.ckpt.index", 500);
        assertThatThrownBy(() -> downloader().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("model.ckpt.index").hasMessageContaining("HTTP 500")
                .hasMessageContaining(base.toString());
        assertThat(target("model.ckpt.index")).doesNotExist();
        assertThat(target("checkpoint")).exists(); // files before it completed
    }

    @Test
    void anUnknownSizeIsRefusedListingTheValidOnes() {
        assertThatThrownBy(() -> downloader().download("117X", dir, DownloadListener.SILENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("117X")
                .hasMessageContaining("[124M, 355M, 774M, 1558M]");
        assertThat(requests).isEmpty();
    }

    private Downloader withShortTimeouts() {
        Duration second = Duration.ofSeconds(1);
        return new Downloader(base, new Timeouts(second, second, second), ReleaseCheck.checkpointOnly());
    }

    @Test
    void aServerThatStallsAfterTheHeadersIsGivenUpOnKeepingThePart() {
        stallAfter.put("/models/124M/" + SHARD, 10_000);
        assertThatThrownBy(() -> withShortTimeouts().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining(SHARD)
                .hasMessageContaining("stopped sending after 10000 of " + shardLength + " bytes")
                .hasMessageContaining("no data received for 1 s");
        assertThat(target(SHARD)).doesNotExist();
        assertThat(target(SHARD + ".part")).exists();
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpOn() {
        stallAfter.put("/models/124M/hparams.json", -1);
        assertThatThrownBy(() -> withShortTimeouts().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("hparams.json")
                .hasMessageContaining("no response from").hasMessageContaining("within 1 s");
    }

    @Test
    void aShardShorterThanItsIndexSaysIsNotCalledComplete() {
        // the server's Content-Length matches the half body it sends: only the index can tell
        serveInstead.put("/models/124M/" + SHARD, Arrays.copyOf(served(SHARD), shardLength / 2));
        assertThatThrownBy(() -> downloader().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("not a valid release")
                .hasMessageContaining(SHARD).hasMessageContaining("is " + shardLength / 2 + " bytes")
                .hasMessageContaining("says it holds " + shardLength);
    }

    @Test
    void anHtmlErrorPageServedWithStatus200IsNotAReleaseFile() {
        serveInstead.put("/models/124M/hparams.json", "<html><body>Service unavailable</body></html>".getBytes());
        assertThatThrownBy(() -> downloader().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("not a valid release")
                .hasMessageContaining("hparams.json").hasMessageContaining("not valid JSON");
    }

    @Test
    void aReleaseOtherThanOpenAisKnownFilesIsRefusedNamingTheFile() {
        Downloader checked = new Downloader(base, Timeouts.DEFAULT, ReleaseCheck.openAi());
        assertThatThrownBy(() -> checked.download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("not a valid release")
                .hasMessageContaining("OpenAI's file");
    }

    @Test
    void theKnownDigestsAreThoseOfGoldensCopyOfTheRelease() throws Exception {
        for (var f : ReleaseCheck.OPENAI.get("124M").entrySet()) {
            if (f.getValue().sha256() == null) {
                continue;
            }
            byte[] golden = GoldenData.read("openai-gpt2-117M/" + f.getKey());
            assertThat(golden.length).as(f.getKey()).isEqualTo(f.getValue().size());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(golden))).as(f.getKey())
                    .isEqualTo(f.getValue().sha256());
        }
    }

    @Test
    void aLocalDiskErrorIsReportedAsLocal() throws Exception {
        Files.createDirectories(target("checkpoint.part")); // a folder where the part file must go
        assertThatThrownBy(() -> downloader().download("124M", dir, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("checkpoint.part")
                .hasMessageContaining("local disk").hasMessageNotContaining("connection failed");
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("124M"), "a file where the size folder must go");
        assertThatThrownBy(() -> downloader().download("124M", other, DownloadListener.SILENT))
                .isInstanceOf(DownloadException.class).hasMessageContaining("cannot create " + other.resolve("124M"))
                .hasMessageContaining("local disk");
    }
}
