package dev.wisp.bench.sim;

import java.util.List;
import java.util.Map;

/**
 * What a simulation did.
 *
 * @param scoredInvocations invocation records received in the scored part
 * @param totalInvocations  invocation records in all, history included (throttled attempts count)
 * @param injectionWindows  realised windows per injection id (one per burst for repeated bursts)
 * @param benignWindows     realised windows per benign event id, history repetitions included
 * @param wallSeconds       real time the simulation took
 */
public record SimOutcome(long scoredInvocations, long totalInvocations, Map<String, List<Window>> injectionWindows,
                         Map<String, List<Window>> benignWindows, double wallSeconds) {
    public SimOutcome {
        injectionWindows = Map.copyOf(injectionWindows);
        benignWindows = Map.copyOf(benignWindows);
    }
}
