package dev.wisp.server.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.ManualClock;
import dev.wisp.detect.DetectionConfig;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Incident;
import dev.wisp.detect.IncidentType;
import dev.wisp.store.StoreConfig;
import dev.wisp.store.TelemetryStore;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.Trigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted server: the store holds the last hour, the engine is new. Warmed up from the store,
 * it catches a flood at once; without the warm-up the same flood goes unreported, as the engine
 * has not watched the function long enough.
 */
class DetectionWarmUpTest {
    private static final long START = Instant.parse("2026-03-03T09:00:00Z").toEpochMilli();
    private static final long HISTORY_MS = 65 * 60_000L;
    private static final long RESTART = START + HISTORY_MS;

    @TempDir Path dir;

    @Test
    void aRestartedServerDetectsAtOnceFromItsStoredHour() {
        long stored = 0;
        try (TelemetryStore store = TelemetryStore.open(dir.resolve("wisp.duckdb"), StoreConfig.DEFAULTS, new ManualClock(START))) {
            Random rnd = new Random(1);
            for (long s = START; s < RESTART; s += 1000) stored += second(store::accept, rnd, s, 3, 0);
            store.flush();

            DetectionEngine warmed = new DetectionEngine(DetectionConfig.defaults());
            DetectionWarmUp.Result r = DetectionWarmUp.run(store.queries(), warmed, RESTART);
            assertEquals(stored, r.items(), "the whole stored hour is replayed (it is shorter than the window)");
            assertTrue(warmed.incidents().isEmpty(), "steady traffic raises nothing: " + warmed.incidents());

            Incident caught = flood(warmed);
            assertTrue(caught != null, "the warmed-up engine missed the flood");
            assertTrue(caught.type() == IncidentType.DOS || caught.type() == IncidentType.DOW, caught::toString);
            assertTrue(caught.openedAt() - RESTART <= 3000, "opened " + (caught.openedAt() - RESTART) + " ms after onset");

            assertEquals(null, flood(new DetectionEngine(DetectionConfig.defaults())), "a cold engine must not fire yet");
        }
    }

    /** Five seconds of 150 requests/s from a new source on top of the usual traffic; the first incident, or null. */
    private static Incident flood(DetectionEngine engine) {
        Random rnd = new Random(2);
        for (long s = RESTART; s < RESTART + 5000; s += 1000) {
            second(engine::accept, rnd, s, 3, 150);
            engine.advanceTo(s + 1000);
        }
        for (long s = RESTART + 5000; s <= RESTART + 8000; s += 1000) engine.advanceTo(s);
        return engine.incidents().stream().findFirst().orElse(null);
    }

    private static int second(Consumer<Object> into, Random rnd, long s, int steady, int flood) {
        for (int i = 0; i < steady + flood; i++) {
            long at = s + rnd.nextInt(900);
            into.accept(record(at, i < steady ? "app" : "attacker-1", i));
        }
        into.accept(new PlatformEvent.ConcurrencySample(s + 999, "acme", "thumbnail", 0, flood > 0 ? 20 : 1, flood > 0 ? 20 : 2));
        return steady + flood + 1;
    }

    private static InvocationRecord record(long at, String source, int i) {
        double dur = 40;
        long billed = InvocationRecord.billedMillis(dur);
        return new InvocationRecord("r-" + at + "-" + i, "acme", "thumbnail", "$LATEST", Trigger.HTTP, source, null, "local",
                at, at, 0, 0, at, at + 40, at + 41, 0.5, 0, dur, billed, 256, 80, false, "i-1", InvocationStatus.SUCCESS, null,
                100, 100, InvocationRecord.gbSeconds(256, billed), 0.0000002, null, null, null);
    }
}
