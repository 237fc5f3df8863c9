package dev.wisp.bench.report;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.ResourceSample;

import java.util.SplittableRandom;

/**
 * Keeps what the plots of one scenario need from its scored part, in bounded memory: a uniform
 * sample of at most {@link #MAX_POINTS} invocations (reservoir sampling, seeded so a report is
 * reproducible) and one value per second of warm and initialising instances and of CPU.
 */
public final class PlotRecorder {
    static final int MAX_POINTS = 20_000;

    private final long start;
    private final int seconds;
    private final SplittableRandom random;
    final double[] pointX = new double[MAX_POINTS];
    final double[] pointY = new double[MAX_POINTS];
    final byte[] pointKind = new byte[MAX_POINTS];
    int points;
    private long seen;
    final double[] warm;
    final double[] initializing;
    final double[] hostCpu;
    final double[] functionCpu;

    static final byte WARM = 0, COLD = 1, FAILED = 2, THROTTLED = 3;

    public PlotRecorder(long startMillis, double durationSeconds, long seed) {
        this.start = startMillis;
        this.seconds = (int) Math.ceil(durationSeconds) + 1;
        this.random = new SplittableRandom(seed);
        warm = new double[seconds];
        initializing = new double[seconds];
        hostCpu = new double[seconds];
        functionCpu = new double[seconds];
    }

    public void accept(Object item) {
        switch (item) {
            case InvocationRecord r when r.receivedAt() >= start -> invocation(r);
            case ResourceSample s when s.timestamp() >= start -> resource(s);
            default -> { }
        }
    }

    private void invocation(InvocationRecord r) {
        long n = seen++;
        int slot;
        if (n < MAX_POINTS) {
            slot = (int) n;
            points++;
        } else {
            long j = random.nextLong(n + 1);
            if (j >= MAX_POINTS) return;
            slot = (int) j;
        }
        pointX[slot] = (r.receivedAt() - start) / 1000.0;
        pointY[slot] = (r.completedAt() - r.receivedAt()) / 1000.0;
        pointKind[slot] = r.status() == InvocationStatus.THROTTLED || r.status() == InvocationStatus.REJECTED ? THROTTLED
                : r.status() != InvocationStatus.SUCCESS ? FAILED : r.coldStart() ? COLD : WARM;
    }

    private void resource(ResourceSample s) {
        int i = (int) ((s.timestamp() - start) / 1000);
        if (i >= seconds) return;
        switch (s.scope()) {
            case HOST -> hostCpu[i] = s.cpuMillicores();
            case FUNCTION -> once(s.tenant() + "/" + s.functionName(), i, s.idle() + s.busy(), s.initializing(), 0);
            case INSTANCE -> once(s.instanceId(), i, 0, 0, s.cpuMillicores());
        }
    }

    /** What one function or instance last added to a second, so a second sample in the same second replaces it. */
    private static final class Last {
        int second = -1;
        double warm;
        double initializing;
        double cpu;
    }

    private final java.util.Map<String, Last> last = new java.util.HashMap<>();

    private void once(String key, int i, double warmNow, double initNow, double cpuNow) {
        Last l = last.computeIfAbsent(key, k -> new Last());
        if (l.second == i) {
            // live samples jitter around the second boundary: two can land in one bucket
            warm[i] -= l.warm;
            initializing[i] -= l.initializing;
            functionCpu[i] -= l.cpu;
        }
        warm[i] += warmNow;
        initializing[i] += initNow;
        functionCpu[i] += cpuNow;
        l.second = i;
        l.warm = warmNow;
        l.initializing = initNow;
        l.cpu = cpuNow;
    }

    public int seconds() { return seconds; }
}
