package dev.wisp.invoker;

/**
 * Decides how many cold starts a function needs. Pure: the simulator runs the same code.
 * Each queued request that no initialising instance will serve earns one cold start, within the
 * function's cap.
 */
public final class ScalingPolicy {
    private ScalingPolicy() {}

    /** A function's pool as the policy sees it. */
    public record Snapshot(int queued, int idle, int busy, int initializing, int cap) {
        public int total() { return idle + busy + initializing; }
    }

    public static int coldStartsNeeded(Snapshot s) {
        if (s.idle() > 0) return 0;
        int uncovered = s.queued() - s.initializing();
        int room = s.cap() - s.total();
        return Math.max(0, Math.min(uncovered, room));
    }
}
