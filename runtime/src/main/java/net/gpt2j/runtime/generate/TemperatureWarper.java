package net.gpt2j.runtime.generate;

/** HF's {@code TemperatureLogitsWarper}: divides every score by the temperature, in float32 as torch does. */
public final class TemperatureWarper implements LogitsProcessor {

    private final float temperature;

    public TemperatureWarper(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        this.temperature = (float) temperature;
    }

    @Override
    public void process(int[][] idsSoFar, float[][] scores) {
        for (float[] row : scores) {
            for (int i = 0; i < row.length; i++) {
                row[i] = row[i] / temperature;
            }
        }
    }
}
