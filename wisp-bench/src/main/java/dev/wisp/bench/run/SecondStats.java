package dev.wisp.bench.run;

/**
 * What the baselines see of one function in one second: completed attempts, the p95 of their
 * response time (received to completed; NaN without completions), errors of any kind and throttles.
 */
public record SecondStats(String function, long second, int count, double p95Ms, int errors, int throttles) {}
