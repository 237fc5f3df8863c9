package dev.wisp.detect;

/**
 * Counts a function's arrivals per second although records only come at completion.
 *
 * <p>Between two concurrency samples (in flight = queued + running, at times S0 and S1) the
 * arrivals are exactly {@code I1 - I0 + completions}. Counting every completion at once but the
 * in-flight change only when the next sample comes double counts whenever many queued requests
 * finish together (a burst of completions after a cold start looks like a burst of arrivals). So
 * each request is counted once, from evidence that cannot overlap:
 * <ul>
 *   <li>a record received after the last sample was not in its in-flight count: it is an arrival
 *       now (so are throttled records, which never are in flight);</li>
 *   <li>at the next sample, the arrivals since the previous one still in flight are
 *       {@code I1 - I0 + (completions of requests that were in flight at S0)}, never negative.</li>
 * </ul>
 * Requests that finish within their second count at once; those still in flight count at the
 * next sample, at most one sample interval late. A cold start is caused by an arrival that found
 * no idle instance, so it counts at once, provisionally: the next sample's in-flight growth is
 * reduced by the cold starts already counted (a request that started cold and also finished before
 * that sample was counted twice; the deficit is taken back from later growth). Without samples
 * every record counts on its own.
 */
final class ArrivalCounter {
    /** How much over-counting (sample races in a live server) may be taken back later. */
    private static final double MAX_DEFICIT = 200;

    private boolean sampled;
    private long lastSampleAt;
    private int inflight;
    private int oldCompletions; // completions since the last sample of requests in flight at it
    private double deficit;     // <= 0: counted too many before, taken from the next in-flight growth
    private int provisional;    // cold starts since the last sample, already counted
    private double now;         // arrivals counted for the open second

    /** A record (completed or refused) received at {@code receivedAt} epoch millis (0 if unknown). */
    void onRecord(long receivedAt) {
        if (sampled && receivedAt > 0 && receivedAt <= lastSampleAt) oldCompletions++;
        else now++;
    }

    /** An instance started cold for a waiting request (not a provisioned one). */
    void onColdStart() {
        if (!sampled) return;
        now++;
        provisional++;
    }

    /** A concurrency sample taken at {@code at}: {@code inflight} requests queued or running. */
    void onSample(long at, int inflight) {
        int in = Math.max(0, inflight);
        if (sampled && at >= lastSampleAt) {
            double raw = in - this.inflight + oldCompletions - provisional + deficit;
            now += Math.max(0, raw);
            deficit = Math.max(-MAX_DEFICIT, Math.min(0, raw));
        }
        sampled = true;
        lastSampleAt = Math.max(lastSampleAt, at);
        this.inflight = in;
        oldCompletions = 0;
        provisional = 0;
    }

    /** Arrivals counted for the second that closes now; starts the next one. */
    double closeSecond() {
        double a = now;
        now = 0;
        return a;
    }
}
