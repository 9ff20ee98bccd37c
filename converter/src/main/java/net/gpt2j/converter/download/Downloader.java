package net.gpt2j.converter.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one of OpenAI's GPT-2 releases: the seven files of
 * {@code https://openaipublic.blob.core.windows.net/gpt-2/models/<SIZE>/}, into {@code
 * <dir>/<SIZE>/} (the layout of OpenAI's own download script, so several sizes can share a folder).
 *
 * <p>Each file is written to {@code <file>.part} and renamed when complete, so a file under its
 * real name is always whole. An interrupted download resumes with a {@code Range} request; a file
 * already complete (same size as the server's) is skipped. Sizes are checked against {@code
 * Content-Length} / {@code Content-Range}. A server that does not answer within the response
 * timeout, or stops sending for the idle timeout ({@link Timeouts}), is named and the {@code .part}
 * kept. Before the release is called complete it is checked as a checkpoint ({@link ReleaseCheck}).
 * A failure of the local disk is reported as such, not as a connection failure.
 */
public final class Downloader {

    public static final URI OPENAI_BASE = URI.create("https://openaipublic.blob.core.windows.net/gpt-2/models/");
    public static final List<String> SIZES = List.of("124M", "355M", "774M", "1558M");
    public static final List<String> FILES = List.of("checkpoint", "encoder.json", "hparams.json",
            "model.ckpt.data-00000-of-00001", "model.ckpt.index", "model.ckpt.meta", "vocab.bpe");

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");
    private static final int BUFFER = 1 << 16;

    private final HttpClient client;
    private final URI base;
    private final Timeouts timeouts;
    private final ReleaseCheck releaseCheck;

    /** Downloads from OpenAI. */
    public Downloader() {
        this(OPENAI_BASE);
    }

    /** Downloads from another base URL (a mirror of OpenAI's files); {@code <base><SIZE>/<file>} is fetched. */
    public Downloader(URI base) {
        this(base, Timeouts.DEFAULT);
    }

    /** As {@link #Downloader(URI)} with the given timeouts. */
    public Downloader(URI base, Timeouts timeouts) {
        this(base, timeouts, ReleaseCheck.openAi());
    }

    /** With the given release check: {@link ReleaseCheck#checkpointOnly()} for a server of other releases. */
    public Downloader(URI base, Timeouts timeouts, ReleaseCheck releaseCheck) {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(timeouts.connect()).version(HttpClient.Version.HTTP_1_1).build(), base, timeouts, releaseCheck);
    }

    public Downloader(HttpClient client, URI base, Timeouts timeouts, ReleaseCheck releaseCheck) {
        this.client = client;
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.timeouts = timeouts;
        this.releaseCheck = releaseCheck;
    }

    /** The folder a size is downloaded into. */
    public static Path folderFor(Path dir, String size) {
        return dir.resolve(checkSize(size));
    }

    public static String checkSize(String size) {
        if (!SIZES.contains(size)) {
            throw new IllegalArgumentException("unknown GPT-2 model size '" + size + "': expected one of " + SIZES);
        }
        return size;
    }

    /**
     * Downloads (or completes) all seven files of {@code size} into {@code folderFor(dir, size)},
     * checks them as a release ({@link ReleaseCheck}) and returns that folder.
     */
    public Path download(String size, Path dir, DownloadListener listener) throws IOException, InterruptedException {
        Path folder = folderFor(dir, size);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw local("cannot create " + folder, e);
        }
        for (String file : FILES) {
            fetch(base.resolve(size + "/" + file), folder.resolve(file), listener);
        }
        releaseCheck.check(folder, size);
        return folder;
    }

    /** Fetches one URL into {@code target}, resuming {@code target.part} and skipping a complete {@code target}. */
    void fetch(URI url, Path target, DownloadListener listener) throws IOException, InterruptedException {
        String name = target.getFileName().toString();
        if (Files.exists(target)) {
            long remote = remoteSize(url, name);
            long local = Files.size(target);
            if (local != remote) {
                throw new DownloadException(target + " exists with " + local + " bytes but " + url + " has " + remote
                        + "; delete it to download it again");
            }
            listener.finished(name, true);
            return;
        }
        Path part = target.resolveSibling(name + ".part");
        if (Files.exists(part, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)) {
            throw local(part + " is not a regular file", new IOException("cannot resume into it"));
        }
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeouts.response()).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = send(request.build(), url, name);
        try (InputStream body = new IdleTimeoutInputStream(response.body(), timeouts.idle())) {
            long total;
            boolean append;
            int status = response.statusCode();
            if (status == 206 && have > 0) {
                Matcher m = CONTENT_RANGE.matcher(header(response, "Content-Range"));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new DownloadException("server answered the resume of " + name + " from byte " + have
                            + " with Content-Range '" + header(response, "Content-Range") + "' (" + url + ")");
                }
                total = Long.parseLong(m.group(3));
                append = true;
            } else if (status == 416 && have > 0) {
                // the part may already be whole: the server says how big the file is
                Matcher m = UNSATISFIED_RANGE.matcher(header(response, "Content-Range"));
                if (m.matches() && Long.parseLong(m.group(1)) == have) {
                    listener.started(name, have, have);
                    rename(part, target);
                    listener.finished(name, false);
                    return;
                }
                throw new DownloadException(part + " has " + have + " bytes, more than " + url + " serves ("
                        + header(response, "Content-Range") + "); delete it to download again");
            } else if (status == 200) {
                total = contentLength(response, url, name);
                append = false; // no resume offered: start over
                have = 0;
            } else {
                throw new DownloadException("downloading " + name + " from " + url + " failed: HTTP " + status);
            }
            listener.started(name, have, total);
            long done = copy(body, part, append, have, total, name, url, listener);
            if (done != total) {
                throw new DownloadException(name + " from " + url + ": received " + done + " bytes but the server announced "
                        + total + "; " + part + " is kept, run again to resume");
            }
        }
        rename(part, target);
        listener.finished(name, false);
    }

    private static void rename(Path part, Path target) throws DownloadException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw local("cannot rename " + part + " to " + target, e);
        }
    }

    /** A failure of this machine's disk or folders, said as such: no retry of the connection would help. */
    private static DownloadException local(String what, IOException e) {
        return new DownloadException(what + ": " + e + " (a local disk or folder problem, not the connection)", e);
    }

    private static long copy(InputStream body, Path part, boolean append, long have, long total, String name, URI url,
            DownloadListener listener) throws IOException {
        long done = have;
        byte[] buffer = new byte[BUFFER];
        OutputStream out;
        try {
            out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw local("cannot write " + part, e);
        }
        try (out) {
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IdleTimeoutInputStream.IdleTimeoutException e) {
                    throw new DownloadException(name + ": " + url + " stopped sending after " + done + " of " + total
                            + " bytes (" + e.getMessage() + "); " + part + " is kept, run again to resume", e);
                } catch (IOException e) {
                    throw new DownloadException(name + ": connection failed after " + done + " of " + total + " bytes ("
                            + e.getMessage() + "); " + part + " is kept, run again to resume", e);
                }
                if (n < 0) {
                    break;
                }
                if (done + n > total) {
                    throw new DownloadException(name + ": the server sent more than the " + total + " bytes it announced");
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw local("cannot write " + part + " after " + done + " bytes", e);
                }
                done += n;
                listener.progress(name, done, total);
            }
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw local("cannot finish writing " + part, e); // the close, which flushes to disk
        }
        return done;
    }

    private long remoteSize(URI url, String name) throws IOException, InterruptedException {
        HttpRequest head = HttpRequest.newBuilder(url).timeout(timeouts.response())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> response = send(head, url, name);
        response.body().close();
        if (response.statusCode() != 200) {
            throw new DownloadException("checking the size of " + name + " at " + url + " failed: HTTP " + response.statusCode());
        }
        return contentLength(response, url, name);
    }

    private HttpResponse<InputStream> send(HttpRequest request, URI url, String name) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new DownloadException("no response from " + url + " for " + name + " within "
                    + timeouts.response().toSeconds() + " s", e);
        } catch (IOException e) {
            throw new DownloadException("cannot reach " + url + " for " + name + ": " + e, e);
        }
    }

    private static long contentLength(HttpResponse<?> response, URI url, String name) throws DownloadException {
        OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        if (length.isEmpty()) {
            throw new DownloadException(url + " gave no Content-Length for " + name + ", so its size cannot be verified");
        }
        return length.getAsLong();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }
}
