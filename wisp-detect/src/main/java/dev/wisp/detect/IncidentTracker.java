package dev.wisp.detect;

import java.util.ArrayList;
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
 * seconds add up to 1 (during the cool-down after an incident closed, only a strong signal may
 * open one); every further active signal joins it and keeps it open; it closes after
 * {@code quietSeconds} without an active signal. Its type is re-derived from the whole signal mix
 * on every change.
 */
final class IncidentTracker {
    private final String tenant;
    private final String function;
    private final DetectionConfig cfg;

    private final List<Fired> previous = new ArrayList<>();
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
            double w = 0;
            boolean strong = false;
            for (Fired f : fired) { w += f.weight(); strong |= f.strong() && f.weight() >= 1; }
            if (previousSec == sec - 1) for (Fired f : previous) w += f.weight();
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
        Classification c = classify(best.keySet(), function == null);
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
        snapshot = new Incident(id, c.type, tenant, function, openedAt, closedAt, round(severity), round(conf), sigs,
                top, trig, expl);
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }

    private String explain(Classification c, List<String> top, List<String> trig, long closedAt) {
        StringBuilder sb = new StringBuilder();
        sb.append("Probable ").append(c.type.wireName()).append(" on ")
                .append(function == null ? "the platform" : (tenant == null ? "" : tenant + "/") + function).append(": ");
        int n = 0;
        for (Signal s : best.values()) {
            if (n++ > 0) sb.append("; ");
            sb.append(s.evidence());
        }
        sb.append('.');
        if (!top.isEmpty()) sb.append(" Top sources: ").append(String.join(", ", top)).append('.');
        if (!trig.isEmpty()) sb.append(" Triggers: ").append(String.join(", ", trig)).append('.');
        sb.append(" Why ").append(c.type.wireName()).append(": ").append(c.reason).append('.');
        if (closedAt > 0) sb.append(" Closed after ").append(cfg.quietSeconds()).append(" s without an active signal.");
        return sb.toString();
    }

    record Classification(IncidentType type, String reason) {}

    /** The type from the mix of detectors that fired during the incident. */
    static Classification classify(Set<String> d, boolean platform) {
        boolean burst = d.contains("rate-burst"), shift = d.contains("rate-shift");
        boolean rateUp = burst || shift;
        boolean throttle = d.contains("throttle"), queue = d.contains("queue"), coldSurge = d.contains("cold-start-surge");
        boolean saturation = throttle || queue;
        boolean errors = d.contains("error-spike");
        boolean cost = d.contains("cost-rate");
        boolean newSource = d.contains("new-source"), newTrigger = d.contains("new-trigger");
        boolean latency = d.contains("warm-latency"), hostCpu = d.contains("host-cpu");
        boolean wait = d.contains("wait");
        if (platform) {
            if (hostCpu) return new Classification(IncidentType.NOISY_NEIGHBOUR, "host CPU rose far above its usual level with no function's own load explaining it");
            if (queue || wait) return new Classification(IncidentType.QUEUEING_COLLAPSE, "requests queue and wait across the platform");
            return new Classification(IncidentType.UNKNOWN, "signals do not match a known pattern");
        }
        if (newTrigger) return new Classification(IncidentType.TRIGGER_ABUSE, "the function is being invoked through a trigger it never used before");
        if (errors && (d.contains("retries") || d.contains("async-failures")))
            return new Classification(IncidentType.RETRY_STORM, "failures come from async event invocations that are being retried");
        if (errors && !burst)
            return new Classification(IncidentType.DEPENDENCY_FAILURE, "failures rose" + (latency ? " together with latency" : "")
                    + " without a matching rise in load, as when a downstream dependency fails");
        if (rateUp) {
            if (burst && d.contains("cold-pool") && !throttle)
                return new Classification(IncidentType.COLD_START_AMPLIFICATION, "a burst arrived when no instance was warm, so each request paid a cold start");
            if (burst && (saturation || coldSurge))
                return new Classification(IncidentType.DOS, "a burst of arrivals far above the expected rate saturated the function (" +
                        String.join(", ", present(d, "throttle", "queue", "cold-start-surge", "wait")) + ")");
            if (cost && !saturation)
                return new Classification(IncidentType.DOW, "spend rose far above its usual level for this time while the function kept up: low-rate abuse that drains budget"
                        + (newSource ? " from a new source" : "") + (d.contains("source-spread") ? " spread over many sources" : ""));
            if (burst)
                return new Classification(IncidentType.DOS, "a short burst of arrivals many times the expected rate"
                        + (newSource ? " from a source never seen before" : ""));
            if (newSource && !saturation)
                return new Classification(IncidentType.TRIGGER_ABUSE, "traffic from a source this function never saw before");
            if (burst || saturation)
                return new Classification(IncidentType.DOS, "arrivals far above the expected rate for this time");
            return new Classification(IncidentType.DOS, "a sustained rise of arrivals above the expected rate for this time");
        }
        if (latency) {
            if (hostCpu && d.contains("flat-load"))
                return new Classification(IncidentType.NOISY_NEIGHBOUR, "warm latency rose while the function's own load stayed flat and host CPU ran hot");
            if (hostCpu) return new Classification(IncidentType.NOISY_NEIGHBOUR, "warm latency rose while host CPU ran hot");
            return new Classification(IncidentType.REGRESSION, "warm latency rose with flat load and a normal host"
                    + (d.contains("version-change") ? ", right after a new version" : ""));
        }
        if (queue || wait) return new Classification(IncidentType.QUEUEING_COLLAPSE, "requests queue and wait longer while arrivals stay at their usual rate");
        if (cost) return new Classification(IncidentType.DOW, "spend rose far above its usual level for this time");
        if (newSource) return new Classification(IncidentType.TRIGGER_ABUSE, "traffic from a source this function never saw before");
        if (d.contains("source-spread")) return new Classification(IncidentType.DOW, "calls spread over unusually many sources");
        if (coldSurge) return new Classification(IncidentType.COLD_START_AMPLIFICATION, "cold starts far above their usual rate");
        if (hostCpu) return new Classification(IncidentType.NOISY_NEIGHBOUR, "host CPU ran hot");
        return new Classification(IncidentType.UNKNOWN, "signals (" + String.join(", ", d) + ") do not match a known pattern");
    }

    private static List<String> present(Set<String> d, String... names) {
        List<String> out = new ArrayList<>();
        for (String n : names) if (d.contains(n)) out.add(n);
        return out;
    }

    @Override public String toString() {
        return String.format(Locale.ROOT, "tracker %s/%s open=%s", tenant, function, id);
    }
}
