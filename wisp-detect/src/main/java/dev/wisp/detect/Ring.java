package dev.wisp.detect;

/**
 * Per-second values of one series for the last {@link #N} seconds, with running sums over the
 * windows {@link #W}. Must be pushed once per second, in order ({@link #reset} after a gap).
 */
final class Ring {
    static final int[] W = {1, 3, 10, 60, 300, 900};
    static final int W1 = 0, W3 = 1, W10 = 2, W60 = 3, W300 = 4, W900 = 5;
    static final int N = 1024;

    private final double[] v = new double[N];
    private final double[] sums = new double[W.length];
    private int pushes;
    private long lastSec = Long.MIN_VALUE;

    void push(long sec, double x) {
        if (lastSec != Long.MIN_VALUE && sec != lastSec + 1) reset();
        lastSec = sec;
        int i = (int) Math.floorMod(sec, (long) N);
        v[i] = x;
        for (int k = 0; k < W.length; k++) {
            sums[k] += x - v[(int) Math.floorMod(sec - W[k], (long) N)];
        }
        if (++pushes % 8192 == 0) recompute(sec);
    }

    double sum(int k) { return sums[k]; }

    /** The value pushed for {@code sec}, if still held. */
    double at(long sec) {
        if (lastSec == Long.MIN_VALUE || sec > lastSec || sec <= lastSec - N) return 0;
        return v[(int) Math.floorMod(sec, (long) N)];
    }

    void reset() {
        java.util.Arrays.fill(v, 0);
        java.util.Arrays.fill(sums, 0);
        lastSec = Long.MIN_VALUE;
    }

    private void recompute(long sec) {
        for (int k = 0; k < W.length; k++) {
            double s = 0;
            for (int j = 0; j < W[k]; j++) s += v[(int) Math.floorMod(sec - j, (long) N)];
            sums[k] = s;
        }
    }
}
