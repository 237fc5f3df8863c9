package dev.wisp.bench.sim;

/** When an injection or benign event actually ran, in epoch milliseconds, end exclusive. */
public record Window(long startMillis, long endMillis) {}
