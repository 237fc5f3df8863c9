package dev.wisp.bench.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a baseline's per-second alarms into alerts: alarmed seconds of one function that are at
 * most {@code mergeGapSeconds} apart are one alert, as an operator's pager would group them.
 */
final class AlarmIntervals {
    private final String detector;
    private final long mergeGapMillis;
    private final Map<String, Open> open = new HashMap<>();
    private final List<Alert> closed = new ArrayList<>();
    private int seq;

    private static final class Open {
        long openedAt;
        long lastAlarm;
        String type;
        String why;
    }

    AlarmIntervals(String detector, int mergeGapSeconds) {
        this.detector = detector;
        this.mergeGapMillis = mergeGapSeconds * 1000L;
    }

    /** An alarm for {@code function} in the second starting at {@code atMillis}. */
    void alarm(String function, long atMillis, String type, String why) {
        Open o = open.get(function);
        if (o != null && atMillis - o.lastAlarm > mergeGapMillis) {
            close(function, o);
            o = null;
        }
        if (o == null) {
            o = new Open();
            o.openedAt = atMillis;
            o.type = type;
            o.why = why;
            open.put(function, o);
        }
        o.lastAlarm = atMillis;
    }

    /** Closes alerts whose function has been quiet for longer than the merge gap. */
    void tick(long nowMillis) {
        open.entrySet().removeIf(e -> {
            if (nowMillis - e.getValue().lastAlarm <= mergeGapMillis) return false;
            close(e.getKey(), e.getValue());
            return true;
        });
    }

    private void close(String function, Open o) {
        closed.add(new Alert(detector + "-" + (++seq), o.type, function, o.openedAt, o.lastAlarm + 1000, o.why));
    }

    /** Every alert so far, the open ones with closedAt 0. */
    List<Alert> alerts() {
        List<Alert> all = new ArrayList<>(closed);
        open.forEach((f, o) -> all.add(new Alert(detector + "-open-" + f, o.type, f, o.openedAt, 0, o.why)));
        all.sort(java.util.Comparator.comparingLong(Alert::openedAt));
        return all;
    }
}
