package dev.wisp.detect.univariate;

/** The maximum of the last {@code size} values pushed, in amortised O(1) (a monotonic deque over a ring). */
final class MaxWindow {
    private final double[] val;
    private final long[] idx;
    private final int size;
    private int head, tail, len;
    private long n;

    MaxWindow(int size) {
        this.size = size;
        this.val = new double[size + 1];
        this.idx = new long[size + 1];
    }

    /** The maximum of the last {@code size} values, or negative infinity when none was pushed. */
    double max() {
        return len == 0 ? Double.NEGATIVE_INFINITY : val[head];
    }

    void push(double x) {
        while (len > 0 && val[(tail - 1 + val.length) % val.length] <= x) { tail = (tail - 1 + val.length) % val.length; len--; }
        val[tail] = x;
        idx[tail] = n;
        tail = (tail + 1) % val.length;
        len++;
        n++;
        while (len > 0 && idx[head] <= n - 1 - size) { head = (head + 1) % val.length; len--; }
    }
}
