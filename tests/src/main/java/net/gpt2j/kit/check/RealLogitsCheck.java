package net.gpt2j.kit.check;

import java.util.Map;
import net.gpt2j.kit.golden.RealGolden;

/** Real-weight logits slices: ids 0..2 and the last three ids at each listed position, within the case's own tolerance. */
public final class RealLogitsCheck {

    private RealLogitsCheck() {}

    public static CheckResult check(RealGolden.Logits expected, float[][] actual) {
        double max = 0;
        String where = "-";
        String first = null;
        for (Map.Entry<Integer, RealGolden.Row> e : expected.rows().entrySet()) {
            int pos = e.getKey();
            if (pos >= actual.length) {
                return CheckResult.notOk("real logits NOT OK: the golden lists position " + pos + ", the port returned "
                        + actual.length + " positions");
            }
            float[] row = actual[pos];
            int v = row.length;
            int[] ids = {0, 1, 2, v - 3, v - 2, v - 1};
            double[] want = {e.getValue().first3()[0], e.getValue().first3()[1], e.getValue().first3()[2],
                    e.getValue().last3()[0], e.getValue().last3()[1], e.getValue().last3()[2]};
            for (int k = 0; k < ids.length; k++) {
                double d = Math.abs(row[ids[k]] - want[k]);
                String here = "position " + pos + ", token " + ids[k] + ": expected " + Fmt.v(want[k]) + ", got "
                        + Fmt.v(row[ids[k]]);
                if (Double.isNaN(d) || d > max) {
                    max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                    where = here;
                }
                if ((Double.isNaN(d) || d > expected.tolerance()) && first == null) {
                    first = here;
                }
            }
        }
        String body = "max |diff| " + Fmt.e(max) + " at " + where + " (tolerance " + Fmt.e(expected.tolerance()) + ")";
        return (first == null ? CheckResult.ok("real logits OK: " + body)
                : CheckResult.notOk("real logits NOT OK: first out of tolerance at " + first + "; " + body))
                .withMargin(max, expected.tolerance(), "abs");
    }
}
