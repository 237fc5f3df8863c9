package dev.wisp.bench.scenario;

/**
 * One stream of benign traffic.
 *
 * @param trigger         wire name: sdk, http, event, schedule, queue or chain
 * @param source          a label standing for the caller's identity
 * @param startSecond     relative to the scenario's start; null: from the beginning of the history
 * @param durationSeconds null: until the end of the run
 */
public record WorkloadStream(String function, String trigger, String source, Pattern pattern,
                             Double startSecond, Double durationSeconds) {}
