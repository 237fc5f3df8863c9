package dev.wisp.bench.run;

import java.util.List;
import java.util.Map;

/**
 * Everything one scenario's run produced: the counts, the ground truth, and each detector's
 * verdict ({@code wisp}, {@code threshold}, {@code zscore}, in that order).
 */
public record ScenarioOutcome(String name, String description, String mode, long seed, long invocations,
                              long totalInvocations, double wallSeconds, long scoredStart, double durationSeconds,
                              List<Truth> injections, List<Truth> benign, Map<String, Scorer.Verdict> verdicts,
                              Map<String, String> plots) {
    public static final List<String> DETECTORS = List.of("wisp", "threshold", "zscore");
}
