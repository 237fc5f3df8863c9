package dev.wisp.metrics;

import java.util.Arrays;

/**
 * The sum of the readings that carry the newest timestamp. The sampler reports one reading per
 * function version with one timestamp per tick, so summing within a tick gives the function's total
 * and a newer tick starts over.
 */
final class TickSum {
    private final double[] sums;
    private long tick = Long.MIN_VALUE;

    TickSum(int slots) {
        this.sums = new double[slots];
    }

    synchronized void add(long timestamp, double... values) {
        if (timestamp < tick) return; // a late reading of a tick already replaced
        if (timestamp > tick) {
            tick = timestamp;
            Arrays.fill(sums, 0);
        }
        for (int i = 0; i < sums.length; i++) sums[i] += values[i];
    }

    synchronized double get(int slot) {
        return sums[slot];
    }
}
