package dev.wisp.store;

import static dev.wisp.store.StoreTestSupport.T0;
import static dev.wisp.telemetry.model.InvocationStatus.ERROR;
import static dev.wisp.telemetry.model.InvocationStatus.REJECTED;
import static dev.wisp.telemetry.model.InvocationStatus.SUCCESS;
import static dev.wisp.telemetry.model.InvocationStatus.THROTTLED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wisp.common.ManualClock;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent.ConcurrencySample;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.ResourceSample.Scope;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series numbers worked out by hand. Minute M holds, for function f of tenant t: warm durations
 * 10..50 ms (one of them an error), cold 100 and 200 ms, two throttles and a rejection; g adds one
 * warm 1000 ms call. Quantiles are continuous: p95 of 5 values sits 3.8 of the way from the first.
 */
class SeriesTest {
    private static final long ALL = Long.MAX_VALUE;
    private static final long M = (T0 / 60_000 + 1) * 60_000;
    private static final double EPS = 1e-9;

    @TempDir Path dir;
    private TelemetryStore store;
    private TelemetryQueries q;
    private int ids;

    private void call(String fn, long at, InvocationStatus status, boolean cold, double duration, double wait) {
        boolean ran = status != THROTTLED && status != REJECTED;
        store.accept(Samples.invocation("t", fn, "r" + ids++, at, status, cold, ran ? duration : 0, ran ? wait : 0,
                ran ? 0.25 : 0, ran ? ("g".equals(fn) ? 1.0 : 0.01) : 0));
    }

    private void sample(String tenant, String fn, long at, Scope scope, String instance, double cpu, long rss,
                        int idle, int busy, int initializing) {
        store.accept(new ResourceSample(at, scope, tenant, fn, instance, cpu, rss, idle, busy, initializing));
    }

    @BeforeEach
    void fill() {
        store = StoreTestSupport.open(dir, new ManualClock(T0));
        q = store.queries();
        call("f", M + 100, SUCCESS, false, 10, 1);
        call("f", M + 1_100, SUCCESS, false, 20, 2);
        call("f", M + 1_200, SUCCESS, false, 30, 3);
        call("f", M + 5_000, SUCCESS, false, 40, 4);
        call("f", M + 5_100, ERROR, false, 50, 5);
        call("f", M + 6_000, SUCCESS, true, 100, 50);
        call("f", M + 7_000, SUCCESS, true, 200, 60);
        call("f", M + 8_000, THROTTLED, false, 0, 0);
        call("f", M + 8_001, THROTTLED, false, 0, 0);
        call("f", M + 8_002, REJECTED, false, 0, 0);
        call("g", M + 9_000, SUCCESS, false, 1_000, 9);
        call("f", M + 60_500, SUCCESS, false, 7, 0);
        call("other", M + 100, SUCCESS, false, 9_999, 9_999); // tenant t, but not asked for f

        for (var c : List.of(new ConcurrencySample(M + 1_000, "t", "f", 0, 3, 4), new ConcurrencySample(M + 1_000, "t", "g", 0, 4, 4),
                new ConcurrencySample(M + 2_000, "t", "f", 2, 5, 5), new ConcurrencySample(M + 2_000, "t", "g", 0, 1, 4),
                new ConcurrencySample(M + 2_000, "u", "f", 0, 99, 99))) {
            store.accept(c);
        }
        // tick 1: f has two instances, g one; tick 2: f one, g none; tick 3: f none at all
        sample("t", "f", M + 1_000, Scope.FUNCTION, null, 0, 0, 1, 2, 0);
        sample("t", "g", M + 1_000, Scope.FUNCTION, null, 0, 0, 0, 1, 0);
        sample("t", "f", M + 1_000, Scope.INSTANCE, "f1", 100, 1_000, 0, 0, 0);
        sample("t", "f", M + 1_000, Scope.INSTANCE, "f2", 300, 3_000, 0, 0, 0);
        sample("t", "g", M + 1_000, Scope.INSTANCE, "g1", 50, 500, 0, 0, 0);
        sample(null, null, M + 1_000, Scope.HOST, null, 1_900, 9_999_999, 0, 0, 0);
        sample("u", "f", M + 1_000, Scope.INSTANCE, "u1", 7_777, 7_777, 0, 0, 0);
        sample("t", "f", M + 2_000, Scope.FUNCTION, null, 0, 0, 2, 1, 1);
        sample("t", "f", M + 2_000, Scope.INSTANCE, "f1", 200, 1_000, 0, 0, 0);
        sample("t", "f", M + 3_000, Scope.FUNCTION, null, 0, 0, 0, 0, 0);
        sample("t", "f", M + 120_000, Scope.FUNCTION, null, 0, 0, 1, 0, 0); // a minute with samples only
        store.flush();
    }

    @AfterEach
    void close() { store.close(); }

    @Test
    void oneFunctionPerMinute() {
        List<SeriesPoint> s = q.series("t", "f", Resolution.MINUTE, 0, ALL);
        assertEquals(List.of(M + 120_000, M + 60_000, M), s.stream().map(SeriesPoint::bucketStart).toList());

        SeriesPoint p = s.get(2);
        assertEquals(7, p.invocations());
        assertEquals(1, p.errors());
        assertEquals(2, p.throttles());
        assertEquals(2, p.coldStarts());
        assertEquals(30, p.warmDurationP50Ms(), EPS);
        assertEquals(48, p.warmDurationP95Ms(), EPS);
        assertEquals(49.6, p.warmDurationP99Ms(), EPS);
        assertEquals(150, p.coldDurationP50Ms(), EPS);
        assertEquals(195, p.coldDurationP95Ms(), EPS);
        assertEquals(199, p.coldDurationP99Ms(), EPS);
        assertEquals(57, p.waitP95Ms(), EPS); // waits 1,2,3,4,5,50,60: 5.7 of the way
        assertEquals(5, p.concurrentMax());
        assertEquals(1.0, p.instancesIdle(), EPS); // (1 + 2 + 0) / 3 ticks
        assertEquals(1.0, p.instancesBusy(), EPS);
        assertEquals(1.0 / 3, p.instancesInitializing(), EPS);
        assertEquals(200, p.cpuMillicores(), EPS); // (400 + 200 + 0) / 3: the empty tick counts
        assertEquals(5_000.0 / 3, p.memoryBytes(), EPS);
        assertEquals(7 * 0.25, p.gbSeconds(), EPS);
        assertEquals(7 * 0.01, p.costUsd(), EPS);

        SeriesPoint warmOnly = s.get(1);
        assertEquals(1, warmOnly.invocations());
        assertEquals(7, warmOnly.warmDurationP99Ms(), EPS);
        assertNull(warmOnly.coldDurationP50Ms());
        assertNull(warmOnly.concurrentMax());
        assertNull(warmOnly.cpuMillicores());

        SeriesPoint samplesOnly = s.getFirst();
        assertEquals(0, samplesOnly.invocations());
        assertNull(samplesOnly.warmDurationP50Ms());
        assertNull(samplesOnly.waitP95Ms());
        assertEquals(1.0, samplesOnly.instancesIdle(), EPS);
        assertEquals(0.0, samplesOnly.cpuMillicores(), EPS);
        assertEquals(0.0, samplesOnly.costUsd(), EPS);
    }

    @Test
    void allFunctionsAreSummedPerTick() {
        SeriesPoint p = q.series("t", null, Resolution.MINUTE, M, M + 60_000).getFirst();
        assertEquals(9, p.invocations()); // f's 7, g's and other's
        assertEquals(40, p.warmDurationP50Ms(), EPS); // 10, 20, 30, 40, 50, 1000, 9999
        assertEquals(7, p.concurrentMax()); // tick 1: 3 + 4
        assertEquals((1 + 2 + 0) / 3.0, p.instancesIdle(), EPS);
        assertEquals((3 + 1 + 0) / 3.0, p.instancesBusy(), EPS);
        assertEquals((450 + 200 + 0) / 3.0, p.cpuMillicores(), EPS);
        assertEquals((4_500 + 1_000 + 0) / 3.0, p.memoryBytes(), EPS);
        assertEquals(7 * 0.01 + 1.0 + 0.01, p.costUsd(), EPS); // f, g, other
    }

    @Test
    void secondsAndWindows() {
        List<SeriesPoint> s = q.series("t", "f", Resolution.SECOND, M, M + 2_000);
        assertEquals(List.of(M + 1_000, M), s.stream().map(SeriesPoint::bucketStart).toList());
        assertEquals(2, s.getFirst().invocations());
        assertEquals(25, s.getFirst().warmDurationP50Ms(), EPS);
        assertEquals(3, s.getFirst().concurrentMax());
        assertEquals(400, s.getFirst().cpuMillicores(), EPS);
        assertEquals(1, s.get(1).invocations());
        assertNull(s.get(1).cpuMillicores());
        assertEquals(List.of(), q.series("t", "f", Resolution.SECOND, M + 10_000, M + 20_000));
    }

    @Test
    void costPerFunctionMostExpensiveFirst() {
        assertEquals(List.of(new FunctionCost("t", "g", 1, 0.25, 1.0), new FunctionCost("t", "f", 8, 2.0, 0.08),
                        new FunctionCost("t", "other", 1, 0.25, 0.01)),
                q.cost("t", 0, ALL).stream().map(c -> new FunctionCost(c.tenant(), c.functionName(), c.invocations(),
                        c.gbSeconds(), Math.round(c.costUsd() * 1e9) / 1e9)).toList());
        assertEquals(1.09, q.spentUsd("t", 0, ALL), EPS);
        assertEquals(0.0, q.spentUsd("nobody", 0, ALL));
        assertEquals(1.0, q.spentUsd("t", M + 9_000, M + 9_001), EPS);
    }
}
