package net.gpt2j.converter.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Passes at most {@code limit} bytes through and throws the given refusal as soon as one more arrives. */
final class CappedInputStream extends FilterInputStream {

    private final long limit;
    private final Supplier<SourceException> refusal;
    private long count;

    CappedInputStream(InputStream in, long limit, Supplier<SourceException> refusal) {
        super(in);
        this.limit = limit;
        this.refusal = refusal;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // ask for one byte past the limit, so a member exactly at its limit passes and one byte more does not
        int n = in.read(b, off, (int) Math.min(len, limit - count + 1));
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw refusal.get();
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
    }
}
