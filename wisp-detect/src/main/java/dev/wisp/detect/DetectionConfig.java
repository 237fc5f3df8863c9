package dev.wisp.detect;

/**
 * Knobs of the detection engine. Thresholds on z-scores are in sigmas of the context-aware
 * baseline (Poisson noise for counts plus the learned extra variation); ratios are observed over
 * expected.
 *
 * @param warmupSeconds         a function is watched this long before its detectors may fire
 * @param minBaselineMinutes    ... and its rate baseline must have learned this many minutes
 * @param quietSeconds          an incident closes after this long without an active signal
 * @param cooldownSeconds       after an incident closes, only strong primary signals may open a new one on that key for this long
 * @param burstZ                arrival-rate burst threshold (1, 3 and 10 s windows)
 * @param burstRatio            ... and observed/expected at least this
 * @param minBurstExcess        ... and at least this many arrivals above expected in the window
 * @param shiftZ                level-shift threshold (60, 300 and 900 s windows), also cost, cold starts, queue, errors, latency
 * @param shiftRatio            ... and observed/expected at least this
 * @param minShiftExcess        ... and at least this many invocations above expected
 * @param costRatio             GB-second rate observed/expected at least this for a cost signal
 * @param latencyRatio          warm latency observed/expected at least this
 * @param errorMinCount         errors in the window at least this
 * @param newSourceMinCount     a never-seen source must send at least this many requests to count
 * @param newTriggerMinCount    a never-seen trigger must carry at least this many requests to count
 * @param slotMinutes           width of the seasonal time-of-day slots
 * @param maxSourcesPerFunction known sources remembered per function (beyond: only sketches)
 * @param maxTemplatesPerKey    log templates remembered per function / component
 * @param maxKeys               functions tracked at most (beyond: ignored)
 * @param maxSignalsPerIncident signals kept per incident (the strongest per detector are always kept)
 */
public record DetectionConfig(int warmupSeconds, int minBaselineMinutes, int quietSeconds, int cooldownSeconds,
                              double burstZ, double burstRatio, double minBurstExcess,
                              double shiftZ, double shiftRatio, double minShiftExcess,
                              double costRatio, double latencyRatio, int errorMinCount,
                              int newSourceMinCount, int newTriggerMinCount, int slotMinutes,
                              int maxSourcesPerFunction, int maxTemplatesPerKey, int maxKeys,
                              int maxSignalsPerIncident) {

    public static DetectionConfig defaults() {
        return new DetectionConfig(600, 60, 90, 600,
                7.0, 2.0, 10,
                6.0, 1.5, 6,
                2.0, 1.5, 5,
                10, 3, 15,
                512, 256, 20_000,
                64);
    }
}
