package dev.wisp.bench.scenario;

/**
 * Labelled benign load that must not raise an incident: a workload stream inside its window.
 *
 * @param recurs null, "daily" or "weekly": the event also happens at the same time of day (week)
 *               throughout the history
 */
public record BenignEvent(String id, double startSecond, double durationSeconds, String recurs,
                          String function, String trigger, String source, Pattern pattern) {}
