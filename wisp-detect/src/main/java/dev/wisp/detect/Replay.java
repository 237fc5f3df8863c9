package dev.wisp.detect;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Recorded telemetry through an engine as if it were arriving live: in time order, every second in
 * between closed, so quiet seconds count as quiet. One loop for every recorded source (an export,
 * a stored time range), the same one whether the engine then goes on live or not.
 */
public final class Replay {
    /** Gaps longer than this are not walked second by second (the engine catches up by itself). */
    private static final long MAX_WALK_SECONDS = 86_400;

    private Replay() {}

    /**
     * Feeds the items, sorted by {@link #timeOf} (stable, so each stream keeps its own order), and
     * closes the second of the last one.
     *
     * @return the time of the last item, or {@code Long.MIN_VALUE} when there was none
     */
    public static long feed(DetectionEngine engine, List<?> items) {
        List<Object> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingLong(Replay::timeOf));
        long second = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        for (Object item : sorted) {
            last = timeOf(item);
            long s = Math.floorDiv(last, 1000);
            if (second != Long.MIN_VALUE) {
                for (long t = second + 1; t <= s && t - second <= MAX_WALK_SECONDS; t++) engine.advanceTo(t * 1000);
            }
            second = s;
            engine.accept(item);
        }
        if (second != Long.MIN_VALUE) engine.advanceTo((second + 1) * 1000);
        return last;
    }

    /** When an item happened, as the detector orders it: a record when it completed (that is when it is known). */
    public static long timeOf(Object item) {
        return switch (item) {
            case InvocationRecord r -> r.completedAt() > 0 ? r.completedAt() : r.receivedAt();
            case PlatformEvent e -> e.timestamp();
            case ResourceSample s -> s.timestamp();
            case LogLine l -> l.timestamp();
            default -> 0;
        };
    }
}
