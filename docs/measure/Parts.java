import java.nio.FloatBuffer;
import java.nio.file.Path;
import net.gpt2j.format.safetensors.ShardedSafetensors;

/** Times the parts of a load on the host: mapping and reading every tensor, the finiteness scan, the transposes. */
public class Parts {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        for (int round = 0; round < 3; round++) {
            long read = 0, scan = 0, transpose = 0;
            try (ShardedSafetensors st = ShardedSafetensors.open(dir)) {
                for (String n : st.names()) {
                    long t0 = System.nanoTime();
                    FloatBuffer b = st.floats(n);
                    float[] v = new float[b.remaining()];
                    b.duplicate().get(v);
                    long t1 = System.nanoTime();
                    int bad = 0;
                    for (int i = 0; i < b.remaining(); i++) {
                        if ((Float.floatToRawIntBits(b.get(i)) & 0x7F800000) == 0x7F800000) bad++;
                    }
                    long t2 = System.nanoTime();
                    long[] s = st.spec(n).shape();
                    if (s.length == 2 && !n.startsWith("w")) {
                        int rows = (int) s[0], cols = (int) s[1];
                        float[] out = new float[v.length];
                        for (int rb = 0; rb < rows; rb += 32) for (int cb = 0; cb < cols; cb += 32)
                            for (int r = rb; r < Math.min(rows, rb + 32); r++) for (int c = cb; c < Math.min(cols, cb + 32); c++)
                                out[c * rows + r] = v[r * cols + c];
                        if (out[1] == 12345f) System.out.print("");
                    }
                    long t3 = System.nanoTime();
                    read += t1 - t0; scan += t2 - t1 + bad; transpose += t3 - t2;
                }
            }
            System.out.printf("round %d: map+read %.0f ms, finiteness scan %.0f ms, transposes %.0f ms%n", round, read / 1e6, scan / 1e6, transpose / 1e6);
        }
    }
}
