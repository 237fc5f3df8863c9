package dev.wisp.detect.univariate;

/**
 * The last {@code length} values with their running sum and sum of squares, for a mean and a
 * variance in constant time. The sums are recomputed exactly once per {@code length} values added,
 * so rounding cannot drift over millions of values.
 */
public final class RollingWindow {
    private final double[] ring;
    private int head;
    private int size;
    private double sum;
    private double sumSq;
    private int sinceExact;

    public RollingWindow(int length) {
        if (length < 1) throw new IllegalArgumentException("length must be >= 1");
        this.ring = new double[length];
    }

    public void add(double x) {
        if (size == ring.length) {
            double old = ring[head];
            sum -= old;
            sumSq -= old * old;
        } else {
            size++;
        }
        ring[head] = x;
        head = (head + 1) % ring.length;
        sum += x;
        sumSq += x * x;
        if (++sinceExact >= ring.length) {
            sinceExact = 0;
            sum = 0;
            sumSq = 0;
            for (int i = 0; i < size; i++) {
                sum += ring[i];
                sumSq += ring[i] * ring[i];
            }
        }
    }

    /** Values held: up to the length. */
    public int size() { return size; }

    /** Mean of the values held; NaN when empty. */
    public double mean() { return sum / size; }

    /** Population variance of the values held, never negative; NaN when empty. */
    public double variance() {
        double mean = mean();
        return Math.max(0, sumSq / size - mean * mean);
    }
}
