package dev.wisp.store;

/**
 * What one function cost over a window.
 *
 * @param invocations attempts that ran (throttled and rejected ones excluded)
 */
public record FunctionCost(String tenant, String functionName, long invocations, double gbSeconds, double costUsd) {}
