package dev.wisp.server.watch;

import dev.wisp.detect.DetectionConfig;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Replay;
import dev.wisp.store.TelemetryQueries;
import java.util.ArrayList;
import java.util.List;

/**
 * A restarted server's detector would need an hour of live telemetry before it may fire (baselines
 * and the watch period start empty). Its store still holds that hour: this replays the most recent
 * stretch of it through the fresh engine, in time order, before live telemetry reaches it. The
 * store is read in 30-s slices, so memory stays bounded whatever the rate.
 */
public final class DetectionWarmUp {
    /** Beyond this many stored items the replayed window is shortened (~450 k items, 75 min at 100/s, took 12 s). */
    static final long MAX_ITEMS = 1_500_000;
    private static final long SLICE_MILLIS = 30_000;

    /** What was replayed. */
    public record Result(long items, long fromMillis, long toMillis, long tookMillis) {}

    private DetectionWarmUp() {}

    /** Long enough for the engine's baselines to be trusted and its watch period to pass, plus a margin. */
    public static long windowMillis(DetectionConfig c) {
        return (c.minBaselineMinutes() * 60L + c.warmupSeconds() + 300) * 1000;
    }

    public static Result run(TelemetryQueries store, DetectionEngine engine, long nowMillis) {
        long started = System.nanoTime();
        long window = windowMillis(engine.config());
        long stored = store.count(null, nowMillis - window, nowMillis);
        if (stored > MAX_ITEMS) window = Math.max(SLICE_MILLIS, (long) (window * ((double) MAX_ITEMS / stored)));
        long from = Math.floorDiv(nowMillis - window, 1000) * 1000;
        long items = 0;
        List<Object> slice = new ArrayList<>();
        for (long t = from; t < nowMillis; t += SLICE_MILLIS) {
            slice.clear();
            store.read(null, t, Math.min(t + SLICE_MILLIS, nowMillis), slice::add);
            Replay.feed(engine, slice);
            items += slice.size();
        }
        return new Result(items, from, nowMillis, (System.nanoTime() - started) / 1_000_000);
    }
}
