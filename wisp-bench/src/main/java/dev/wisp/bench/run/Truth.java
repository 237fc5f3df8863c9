package dev.wisp.bench.run;

/**
 * A realised ground-truth window of the scored part: an injection (with the incident type it
 * should be reported as) or a labelled benign event (label null). Epoch milliseconds.
 *
 * @param function the target function, or null when the event is not about one function
 */
public record Truth(String id, String label, String function, long start, long end) {
    public double durationSeconds() { return (end - start) / 1000.0; }

    /** Whether an alert is about this event's target: same function, or either side platform-wide. */
    public boolean targets(Alert a) {
        return function == null || a.function() == null || function.equals(a.function());
    }
}
