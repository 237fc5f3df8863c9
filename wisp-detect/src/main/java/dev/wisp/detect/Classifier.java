package dev.wisp.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The probable type of an incident from the strongest signal of each detector that joined it. The
 * rules go from the most specific evidence to the least: a trigger never used before, a dispatch
 * stall, retried async failures, failures without an intense burst, a burst on a cold pool, an
 * intense burst, spend driven by the function's own extra calls, latency.
 */
final class Classifier {
    /** A burst counts as a flood (DoS) when arrivals exceed the expectation by at least this many per second. */
    static final double INTENSE_EXCESS_PER_SECOND = 5;

    private Classifier() {}

    record Classification(IncidentType type, String reason) {}

    static Classification classify(Map<String, Signal> best, boolean platform) {
        boolean burst = best.containsKey("rate-burst"), shift = best.containsKey("rate-shift");
        boolean rateUp = burst || shift;
        boolean throttle = best.containsKey("throttle"), queue = best.containsKey("queue");
        boolean coldSurge = best.containsKey("cold-start-surge");
        boolean saturation = throttle || queue;
        boolean errors = best.containsKey("error-spike");
        boolean cost = best.containsKey("cost-rate");
        boolean newSource = best.containsKey("new-source"), newTrigger = best.containsKey("new-trigger");
        boolean latency = best.containsKey("warm-latency"), hostCpu = best.containsKey("host-cpu");
        boolean wait = best.containsKey("wait"), stall = best.containsKey("dispatch-stall");
        boolean spread = best.containsKey("source-spread");
        if (platform) {
            if (hostCpu) return c(IncidentType.NOISY_NEIGHBOUR, "host CPU rose far above its usual level, burnt by a co-located workload, and functions slowed down");
            if (stall || queue || wait) return c(IncidentType.QUEUEING_COLLAPSE, "requests queue and wait across the platform");
            return c(IncidentType.UNKNOWN, "signals do not match a known pattern");
        }
        if (newTrigger) return c(IncidentType.TRIGGER_ABUSE, "the function is being invoked through a trigger it never used before");
        if (stall) return c(IncidentType.QUEUEING_COLLAPSE, "requests wait in the queue while instances sit idle and arrivals stay usual:"
                + " the platform stopped dispatching at its usual pace");
        if (errors && (best.containsKey("retries") || best.containsKey("async-failures")))
            return c(IncidentType.RETRY_STORM, "failures come from async event invocations that are being retried");
        Signal b = best.get("rate-burst");
        boolean intense = b != null && b.observed() - b.expected() >= INTENSE_EXCESS_PER_SECOND;
        if (errors && !intense)
            return c(IncidentType.DEPENDENCY_FAILURE, "failures rose" + (latency ? " together with latency" : "")
                    + " without a flood of arrivals, as when a downstream dependency fails");
        if (burst && best.containsKey("cold-pool") && !throttle)
            return c(IncidentType.COLD_START_AMPLIFICATION, "a burst arrived at a function whose pool had gone cold, so the burst paid cold starts");
        if (intense)
            return c(IncidentType.DOS, "a burst of arrivals far above the expected rate"
                    + (saturation || coldSurge ? " saturated the function (" + String.join(", ",
                    present(best, "throttle", "queue", "cold-start-surge", "wait")) + ")" : "")
                    + (newSource ? " from a source never seen before" : ""));
        if (cost && (rateUp || newSource || spread) && !throttle)
            return c(IncidentType.DOW, "spend rose far above its usual level through extra calls at a low rate, never a flood:"
                    + " abuse that drains budget" + (newSource ? " from a new source" : "") + (spread ? " spread over many sources" : ""));
        if (newSource && best.containsKey("source-spend") && !saturation)
            return c(IncidentType.DOW, "a source never seen before calls the function at a low rate, adding at least its usual spend again:"
                    + " abuse that drains budget");
        if (rateUp) {
            if (newSource && !saturation) return c(IncidentType.TRIGGER_ABUSE, "traffic from a source this function never saw before");
            return c(IncidentType.DOS, burst ? "a burst of arrivals above the expected rate" : "a sustained rise of arrivals above the expected rate for this time");
        }
        if (latency) {
            if (hostCpu) return c(IncidentType.NOISY_NEIGHBOUR, "warm latency rose while another workload burnt the host's CPU");
            return c(IncidentType.REGRESSION, "warm latency rose with flat load and no other workload burning the host"
                    + (best.containsKey("version-change") ? ", right after a deploy" : ""));
        }
        if (queue || wait) return c(IncidentType.QUEUEING_COLLAPSE, "requests queue and wait longer while arrivals stay at their usual rate");
        if (cost) return c(IncidentType.DOW, "spend rose far above its usual level for this time");
        if (newSource) return c(IncidentType.TRIGGER_ABUSE, "traffic from a source this function never saw before");
        if (spread) return c(IncidentType.DOW, "calls spread over unusually many sources");
        if (coldSurge) return c(IncidentType.COLD_START_AMPLIFICATION, "cold starts far above their usual rate");
        if (hostCpu) return c(IncidentType.NOISY_NEIGHBOUR, "host CPU ran hot");
        return c(IncidentType.UNKNOWN, "signals (" + String.join(", ", best.keySet()) + ") do not match a known pattern");
    }

    private static Classification c(IncidentType t, String reason) { return new Classification(t, reason); }

    private static List<String> present(Map<String, Signal> d, String... names) {
        List<String> out = new ArrayList<>();
        for (String n : names) if (d.containsKey(n)) out.add(n);
        return out;
    }
}
