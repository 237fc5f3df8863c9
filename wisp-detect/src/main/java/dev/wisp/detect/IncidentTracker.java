package dev.wisp.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Fusion for one key (tenant+function, or the platform): turns the signals of each second into at
 * most one open incident. An incident opens when the weights of the signals of the last two
 * seconds add up to 1, counting each detector once at its highest weight (during the cool-down
 * after an incident closed, only a strong signal may open one); every further active signal joins it and keeps it open; it closes after
 * {@code quietSeconds} without an active signal. Its type is re-derived from the whole signal mix
 * on every change.
 */
final class IncidentTracker {
    private final String tenant;
    private final String function;
    private final DetectionConfig cfg;

    private final List<Fired> previous = new ArrayList<>();
    private final Map<String, Double> weights = new HashMap<>();
    private long previousSec = Long.MIN_VALUE;
    private long lastClosedSec = Long.MIN_VALUE;

    // the open incident
    private String id;
    private int index = -1;
    private long openedAt;
    private long lastActiveSec;
    private final List<Signal> signals = new ArrayList<>();
    private final Map<String, Signal> best = new LinkedHashMap<>();
    private final Set<String> active = new HashSet<>();
    private Incident snapshot;
    private List<String> topCache, trigCache;
    private long lastPublishedSec;
    private int lastPublishedDetectors;

    IncidentTracker(String tenant, String function, DetectionConfig cfg) {
        this.tenant = tenant;
        this.function = function;
        this.cfg = cfg;
    }

    boolean isOpen() { return id != null; }

    long lastClosedSec() { return lastClosedSec; }

    int index() { return index; }

    Incident snapshot() { return snapshot; }

    /** What happened this second. */
    enum Change { NONE, OPENED, UPDATED, CLOSED }

    /**
     * Feeds the signals of second {@code sec}. {@code newId} allocates an id (and list index) when
     * an incident opens; {@code context} supplies top sources and triggers.
     */
    Change offer(long sec, List<Fired> fired, Supplier<String> newId, int nextIndex, Context context) {
        long t = (sec + 1) * 1000;
        if (id == null) {
            if (fired.isEmpty()) { previous.clear(); return Change.NONE; }
            // evidence must come from distinct detectors: one detector firing two seconds in a row
            // is one piece of evidence, not two
            weights.clear();
            boolean strong = false;
            for (Fired f : fired) { weights.merge(f.detector(), f.weight(), Math::max); strong |= f.strong() && f.weight() >= 1; }
            if (previousSec == sec - 1) for (Fired f : previous) weights.merge(f.detector(), f.weight(), Math::max);
            double w = 0;
            for (double x : weights.values()) w += x;
            boolean cooling = lastClosedSec != Long.MIN_VALUE && sec - lastClosedSec < cfg.cooldownSeconds();
            boolean open = w >= 1.0 - 1e-9 && (!cooling || strong);
            if (!open) {
                previous.clear();
                previous.addAll(fired);
                previousSec = sec;
                return Change.NONE;
            }
            id = newId.get();
            index = nextIndex;
            openedAt = t;
            lastActiveSec = sec;
            signals.clear();
            best.clear();
            topCache = null;
            trigCache = null;
            active.clear();
            if (previousSec == sec - 1) for (Fired f : previous) add(f);
            for (Fired f : fired) add(f);
            previous.clear();
            publish(sec, 0, context);
            lastPublishedSec = sec;
            lastPublishedDetectors = best.size();
            return Change.OPENED;
        }
        boolean any = false;
        for (Fired f : fired) {
            add(f);
            if (f.weight() > 0) { lastActiveSec = sec; any = true; }
        }
        if (sec - lastActiveSec >= cfg.quietSeconds()) {
            publish(sec, t, context);
            lastClosedSec = sec;
            id = null;
            index = -1;
            previous.clear();
            return Change.CLOSED;
        }
        if (!fired.isEmpty() && (best.size() != lastPublishedDetectors || sec - lastPublishedSec >= 10 || any && sec - lastPublishedSec >= 5)) {
            publish(sec, 0, context);
            lastPublishedSec = sec;
            lastPublishedDetectors = best.size();
            return Change.UPDATED;
        }
        return Change.NONE;
    }

    /**
     * Adds context to the open incident without keeping it open (e.g. another function slowed down
     * by this one's CPU burn); it shows in the next update.
     */
    void attach(Signal s) {
        if (id != null) add(new Fired(s, 0, false));
    }

    private void add(Fired f) {
        Signal s = f.signal();
        Signal b = best.get(s.detector());
        if (b == null || s.score() > b.score()) best.put(s.detector(), s);
        if (f.weight() > 0) active.add(s.detector());
        if (signals.size() < cfg.maxSignalsPerIncident()) signals.add(s);
    }

    /** Where top sources and triggers come from. */
    interface Context {
        List<String> topSources();

        List<String> triggers();
    }

    private void publish(long sec, long closedAt, Context context) {
        List<Signal> sigs = new ArrayList<>(signals);
        for (Signal s : best.values()) if (!sigs.contains(s)) sigs.add(s);
        Classifier.Classification c = Classifier.classify(best, function == null);
        double conf = 1;
        for (Signal s : best.values()) conf *= 1 - Math.min(0.95, s.score()) * (active.contains(s.detector()) ? 1 : 0.3);
        conf = 1 - conf;
        double maxScore = 0;
        for (Signal s : best.values()) maxScore = Math.max(maxScore, s.score());
        double impact = 0;
        for (String d : best.keySet()) impact = Math.max(impact, switch (d) {
            case "throttle" -> 0.9;
            case "queue", "error-spike" -> 0.75;
            case "wait", "warm-latency", "cost-rate" -> 0.6;
            case "rate-burst", "host-cpu" -> 0.5;
            default -> 0.3;
        });
        double severity = Math.min(1, 0.5 * impact + 0.35 * maxScore + 0.05 * active.size());
        if (context != null && (closedAt == 0 && (lastActiveSec == sec || topCache == null))) {
            topCache = context.topSources();
            trigCache = context.triggers();
        }
        List<String> top = topCache == null ? List.of() : topCache;
        List<String> trig = trigCache == null ? List.of() : trigCache;
        String expl = explain(c, top, trig, closedAt);
        snapshot = new Incident(id, c.type(), tenant, function, openedAt, closedAt, round(severity), round(conf), sigs,
                top, trig, expl);
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }

    private String explain(Classifier.Classification c, List<String> top, List<String> trig, long closedAt) {
        StringBuilder sb = new StringBuilder();
        sb.append("Probable ").append(c.type().wireName()).append(" on ")
                .append(function == null ? "the platform" : (tenant == null ? "" : tenant + "/") + function).append(": ");
        int n = 0;
        for (Signal s : best.values()) {
            if (n++ > 0) sb.append("; ");
            sb.append(s.evidence());
        }
        sb.append('.');
        if (!top.isEmpty()) sb.append(" Top sources: ").append(String.join(", ", top)).append('.');
        if (!trig.isEmpty()) sb.append(" Triggers: ").append(String.join(", ", trig)).append('.');
        sb.append(" Why ").append(c.type().wireName()).append(": ").append(c.reason()).append('.');
        if (closedAt > 0) sb.append(" Closed after ").append(cfg.quietSeconds()).append(" s without an active signal.");
        return sb.toString();
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "tracker %s/%s open=%s", tenant, function, id);
    }
}
