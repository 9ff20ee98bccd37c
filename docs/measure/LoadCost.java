import java.nio.file.Path;
import net.gpt2j.format.ManifestChecksums;
import net.gpt2j.format.safetensors.ShardedSafetensors;
import net.gpt2j.runtime.Gpt2Runtime;
import net.gpt2j.runtime.model.DeviceChoice;

/** Times Gpt2Runtime.load with and without the manifest check, and the check alone. */
public class LoadCost {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        for (int round = 0; round < 4; round++) {
            for (boolean verify : new boolean[] {true, false}) {
                long t0 = System.nanoTime();
                try (Gpt2Runtime r = Gpt2Runtime.load(dir, DeviceChoice.CPU, verify)) {
                    long t1 = System.nanoTime();
                    System.out.printf("round %d load verify=%s: %.0f ms%n", round, verify, (t1 - t0) / 1e6);
                }
            }
            long t0 = System.nanoTime();
            try (ShardedSafetensors st = ShardedSafetensors.open(dir)) {
                ManifestChecksums.verify(dir, st);
            }
            System.out.printf("round %d manifest CRC check alone: %.0f ms%n", round, (System.nanoTime() - t0) / 1e6);
        }
    }
}
