package dev.wisp.bench.scenario;

/**
 * A function of the scenario.
 *
 * @param reservedConcurrency null when the function has none
 * @param cpuMillicores CPU burnt while executing; 0 means it waits (e.g. on I/O)
 * @param location optional context label, or null
 */
public record FunctionDef(String name, String runtime, String role, int memoryMb, int timeoutSeconds,
                          Integer reservedConcurrency, Distribution initMs, Distribution execMs,
                          double cpuMillicores, double errorRate, String location) {}
