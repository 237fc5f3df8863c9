package dev.wisp.detect;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.Trigger;
import org.junit.jupiter.api.Test;

import java.util.Random;

/** Measures the per-record path; prints, never asserts timing. */
class ThroughputTest {
    @Test
    void measure() {
        int fns = 20, perSecond = 200;
        String[] names = new String[fns];
        for (int i = 0; i < fns; i++) names[i] = "fn-" + i;
        String[] sources = {"a", "b", "c", "d", "e", "f", "g", "h"};
        Random r = new Random(1);
        InvocationRecord[] pool = new InvocationRecord[4096];
        for (int i = 0; i < pool.length; i++) {
            String fn = names[r.nextInt(fns)];
            boolean cold = r.nextInt(50) == 0;
            pool[i] = new InvocationRecord("r" + i, "t1", fn, "1", Trigger.HTTP, sources[r.nextInt(sources.length)], null, null,
                    0, 0, 0, 0, 0, 0, 0, r.nextInt(5), cold ? 300 : 0, 20 + r.nextInt(100), 100, 256, 100, cold, "i",
                    r.nextInt(100) == 0 ? InvocationStatus.ERROR : InvocationStatus.SUCCESS, null, 10, 10, 0.025, 0, null, null, null);
        }
        for (int round = 0; round < 2; round++) {
            DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
            long t0 = 1_772_409_600_000L;
            long seconds = 20_000;
            long n = 0;
            long start = System.nanoTime();
            for (long s = 0; s < seconds; s++) {
                long base = t0 + s * 1000;
                for (int f = 0; f < fns; f++) e.accept(new PlatformEvent.ConcurrencySample(base, "t1", names[f], 0, 1, 3));
                for (int k = 0; k < perSecond; k++) {
                    InvocationRecord p = pool[(int) (n++ & 4095)];
                    e.accept(withTime(p, base + k * 1000L / perSecond));
                }
                e.advanceTo(base + 1000);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("detect throughput: %,d records (+%,d samples, %d functions, %,d simulated s) in %.2f s = %,.0f records/s%n",
                    n, seconds * fns, fns, seconds, secs, n / secs);
        }
    }

    /** Heap held per tracked function after 15 simulated minutes of traffic; prints, never asserts. */
    @Test
    void memoryPerFunction() {
        int fns = 1000;
        Runtime rt = Runtime.getRuntime();
        long before = usedAfterGc(rt);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        long t0 = 1_772_409_600_000L;
        Random r = new Random(2);
        for (long s = 0; s < 900; s++) {
            long base = t0 + s * 1000;
            for (int f = 0; f < fns; f++) {
                String fn = "fn-" + f;
                e.accept(new PlatformEvent.ConcurrencySample(base, "t1", fn, 0, 1, 1));
                if (r.nextInt(4) == 0) {
                    e.accept(new InvocationRecord("r" + s + "-" + f, "t1", fn, "1", Trigger.HTTP, "src-" + r.nextInt(20), null,
                            null, base, base, 0, 0, base, base + 20, base + 20, 0, 0, 20, 20, 256, 100, false, "i",
                            InvocationStatus.SUCCESS, null, 10, 10, 0.005, 0, null, null, null));
                }
            }
            e.advanceTo(base + 1000);
        }
        long after = usedAfterGc(rt);
        System.out.printf("detect memory: %,d bytes per tracked function (%d functions, 15 simulated minutes, 20 sources each)%n",
                (after - before) / fns, fns);
        if (e.incidents().size() < 0) throw new AssertionError(); // keeps the engine reachable until measured
    }

    private static long usedAfterGc(Runtime rt) {
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static InvocationRecord withTime(InvocationRecord p, long t) {
        return new InvocationRecord(p.requestId(), p.tenant(), p.functionName(), p.version(), p.trigger(), p.sourceId(), null,
                null, t - 100, t - 100, 0, 0, t - 90, t, t, p.waitMs(), p.initMs(), p.durationMs(), p.billedMs(),
                p.memoryLimitMb(), p.maxMemoryUsedMb(), p.coldStart(), p.instanceId(), p.status(), p.errorType(), 10, 10,
                p.gbSeconds(), 0, null, null, null);
    }
}
