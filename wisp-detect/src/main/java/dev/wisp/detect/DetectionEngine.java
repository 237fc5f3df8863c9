package dev.wisp.detect;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The streaming detection engine. Feed it telemetry items in time order with {@link #accept} and
 * tell it that time moved on with {@link #advanceTo}; it keeps 1-s features per tenant+function,
 * compares them with seasonal baselines, fuses the detectors' signals into incidents and tells
 * listeners. Single-threaded: call it from one thread (or synchronise outside).
 *
 * <p>Time: items fall into 1-s buckets by their own timestamp (an invocation record by its
 * completion, a throttled one by its arrival). A bucket closes when {@code advanceTo} passes its end
 * or an item from a later second arrives; an item for an already closed second is counted in the
 * open one. Nothing thrown by odd input escapes: bad items are counted in {@link #rejected()}.
 */
public final class DetectionEngine {
    private static final long MAX_CATCH_UP_SECONDS = 7200;

    private final DetectionConfig config;
    private final HashMap<String, HashMap<String, FunctionMonitor>> byTenant = new HashMap<>();
    private final ArrayList<FunctionMonitor> monitors = new ArrayList<>();
    private final HashMap<FunctionMonitor, IncidentTracker> trackers = new HashMap<>();
    private final HostMonitor host;
    private final IncidentTracker platform;
    private final List<Incident> incidents = new ArrayList<>();
    private final List<IncidentListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Fired> scratch = new ArrayList<>();
    private final List<Fired> platformFired = new ArrayList<>();
    private long openSec = Long.MIN_VALUE;
    private long seq;
    private long rejected;
    private long lastFunctionIncidentSec = Long.MIN_VALUE;
    private int openFunctionIncidents;

    // one-entry cache: records of one function tend to come in runs
    private String cTenant, cFunction;
    private FunctionMonitor cMonitor;

    public DetectionEngine(DetectionConfig config) {
        this.config = config == null ? DetectionConfig.defaults() : config;
        this.host = new HostMonitor(this.config);
        this.platform = new IncidentTracker(null, null, this.config);
    }

    public DetectionConfig config() { return config; }

    /** Items that could not be used (null, unknown kind, missing names, internal error). */
    public long rejected() { return rejected; }

    public void addListener(IncidentListener l) {
        if (l != null) listeners.add(l);
    }

    /** Every incident so far, in opening order; open ones have closedAt 0. */
    public List<Incident> incidents() {
        return Collections.unmodifiableList(new ArrayList<>(incidents));
    }

    /** One telemetry item: InvocationRecord, PlatformEvent, ResourceSample or LogLine; anything else is ignored. */
    public void accept(Object item) {
        try {
            switch (item) {
                case InvocationRecord r -> onRecord(r);
                case PlatformEvent e -> onEvent(e);
                case ResourceSample s -> onSample(s);
                case LogLine l -> onLog(l);
                case null, default -> rejected++;
            }
        } catch (RuntimeException ex) {
            rejected++;
        }
    }

    /** Time moved on to {@code epochMillis}: closes every whole 1-s bucket ending at or before it. */
    public void advanceTo(long epochMillis) {
        try {
            long target = Math.floorDiv(epochMillis, 1000L);
            if (openSec == Long.MIN_VALUE) { openSec = target; return; }
            closeThrough(target);
        } catch (RuntimeException ex) {
            rejected++;
        }
    }

    // =====================================================================================

    private long secondOf(long ts) {
        long sec = Math.floorDiv(ts, 1000L);
        if (openSec == Long.MIN_VALUE) openSec = sec;
        else if (sec > openSec) closeThrough(sec);
        return openSec;
    }

    private FunctionMonitor monitor(String tenant, String function) {
        if (function == null) return null;
        if (function == cFunction && Objects.equals(tenant, cTenant) && cMonitor != null) return cMonitor;
        String t = tenant == null ? "" : tenant;
        HashMap<String, FunctionMonitor> m = byTenant.get(t);
        FunctionMonitor fm = m == null ? null : m.get(function);
        if (fm == null) {
            if (monitors.size() >= config.maxKeys()) return null;
            fm = new FunctionMonitor(tenant, function, config);
            byTenant.computeIfAbsent(t, k -> new HashMap<>()).put(function, fm);
            monitors.add(fm);
        }
        cTenant = tenant;
        cFunction = function;
        cMonitor = fm;
        return fm;
    }

    private void onRecord(InvocationRecord r) {
        long ts = r.completedAt() > 0 ? r.completedAt() : r.receivedAt();
        long sec = secondOf(ts);
        FunctionMonitor m = monitor(r.tenant(), r.functionName());
        if (m == null) { rejected++; return; }
        m.touch(sec);
        m.onRecord(r, sec);
    }

    private void onEvent(PlatformEvent e) {
        long sec = secondOf(e.timestamp());
        FunctionMonitor m = monitor(e.tenant(), e.functionName());
        if (m == null) return;
        m.touch(sec);
        switch (e) {
            case PlatformEvent.ConcurrencySample c -> m.onConcurrency(c.timestamp(), c.queued(), c.concurrent(), c.instances());
            case PlatformEvent.Throttled th -> m.onThrottleEvent();
            case PlatformEvent.InstanceEvent ie -> {
                if (ie.transition() == PlatformEvent.InstanceTransition.CREATED) m.onCreated("provisioned".equals(ie.reason()));
                else if (ie.transition() == PlatformEvent.InstanceTransition.KILLED && "retired".equals(ie.reason())) m.onRetired(sec);
            }
            default -> { }
        }
    }

    private void onSample(ResourceSample s) {
        long sec = secondOf(s.timestamp());
        if (s.scope() == null) { rejected++; return; }
        switch (s.scope()) {
            case HOST -> host.onHostSample(s.cpuMillicores());
            case FUNCTION -> {
                FunctionMonitor m = monitor(s.tenant(), s.functionName());
                if (m != null) { m.touch(sec); m.onFunctionSample(s.idle(), s.busy(), s.initializing()); }
            }
            case INSTANCE -> {
                FunctionMonitor m = monitor(s.tenant(), s.functionName());
                if (m != null) m.onInstanceCpu(s.cpuMillicores());
            }
        }
    }

    private void onLog(LogLine l) {
        long sec = secondOf(l.timestamp());
        if (l.source() == LogLine.Source.FUNCTION || l.functionName() != null) {
            FunctionMonitor m = monitor(l.tenant(), l.functionName());
            if (m != null) { m.touch(sec); m.onLog(l.timestamp(), l.level(), l.message()); }
        }
    }

    private void closeThrough(long target) {
        if (target - openSec > MAX_CATCH_UP_SECONDS) {
            // a long silent gap: nothing happened; skip ahead (rings reset themselves on the jump)
            openSec = target - MAX_CATCH_UP_SECONDS;
        }
        while (openSec < target) {
            closeBucket(openSec);
            openSec++;
        }
    }

    private void closeBucket(long sec) {
        // host first, so function detectors see whether it runs hot and who burns it
        FunctionMonitor top10 = null, top60 = null;
        double top10Cpu = 0, top60Cpu = 0;
        for (int i = 0, n = monitors.size(); i < n; i++) {
            FunctionMonitor m = monitors.get(i);
            m.pushCpu(sec);
            double c10 = m.cpu10(), c60 = m.cpu60();
            if (c10 > top10Cpu) { top10Cpu = c10; top10 = m; }
            if (c60 > top60Cpu) { top60Cpu = c60; top60 = m; }
        }
        boolean recent = openFunctionIncidents > 0
                || lastFunctionIncidentSec != Long.MIN_VALUE && sec - lastFunctionIncidentSec < 60;
        platformFired.clear();
        host.closeSecond(sec, top10, top10Cpu, top60, top60Cpu, platformFired, recent);
        // who burns the host: the heaviest function while the host runs hot, or while it is in an
        // incident of its own (then the incident is the evidence, even once the baseline moved)
        FunctionMonitor burner = host.topBurner();
        IncidentTracker burnerIncident = burner == null ? null : trackers.get(burner);
        if (burnerIncident != null && !burnerIncident.isOpen()) burnerIncident = null;
        if (burnerIncident == null && host.burner() == null) burner = null;

        for (int i = 0, n = monitors.size(); i < n; i++) {
            FunctionMonitor m = monitors.get(i);
            IncidentTracker tr = trackers.get(m);
            boolean open = tr != null && tr.isOpen();
            scratch.clear();
            m.closeSecond(sec, open, host, scratch);
            if (scratch.isEmpty() && !open) continue;
            if (!open && burner != null && burner != m && Victims.onlyEffects(scratch)) {
                // slowed down by the workload burning the host: evidence about that one, not a new incident
                long t = (sec + 1) * 1000;
                if (burnerIncident != null) {
                    if (sec % 30 == 0) burnerIncident.attach(Victims.summary(m, scratch, burner, t));
                } else if (burner.warm(sec)) {
                    // a known function burns the host: its own detectors tell whether that is an
                    // attack (the victims then join its incident) or its usual work
                } else {
                    platformFired.addAll(scratch);
                    platformFired.add(new Fired(host.contextFor(t), 0, false));
                }
                continue;
            }
            if (tr == null) {
                tr = new IncidentTracker(m.tenant, m.function, config);
                trackers.put(m, tr);
            }
            feed(tr, sec, scratch, m);
        }
        feed(platform, sec, platformFired, null);
    }

    private void feed(IncidentTracker tr, long sec, List<Fired> fired, FunctionMonitor m) {
        if (fired.isEmpty() && !tr.isOpen()) return;
        IncidentTracker.Context ctx = m == null ? null : new IncidentTracker.Context() {
            @Override public List<String> topSources() { return m.topSources(3); }

            @Override public List<String> triggers() { return m.triggers(); }
        };
        IncidentTracker.Change c = tr.offer(sec, fired, () -> String.format("inc-%06d", ++seq), incidents.size(), ctx);
        switch (c) {
            case OPENED -> {
                incidents.add(tr.snapshot());
                if (m != null) { openFunctionIncidents++; lastFunctionIncidentSec = sec; }
                for (IncidentListener l : listeners) safe(() -> l.opened(tr.snapshot()));
            }
            case UPDATED -> {
                incidents.set(tr.index(), tr.snapshot());
                if (m != null) lastFunctionIncidentSec = sec;
                for (IncidentListener l : listeners) safe(() -> l.updated(tr.snapshot()));
            }
            case CLOSED -> {
                Incident snap = tr.snapshot();
                int idx = indexOf(snap.id());
                if (idx >= 0) incidents.set(idx, snap);
                if (m != null) { openFunctionIncidents--; lastFunctionIncidentSec = sec; }
                for (IncidentListener l : listeners) safe(() -> l.closed(snap));
            }
            case NONE -> {
                if (m != null && tr.isOpen()) lastFunctionIncidentSec = sec;
            }
        }
    }

    private int indexOf(String id) {
        for (int i = incidents.size() - 1; i >= 0; i--) if (incidents.get(i).id().equals(id)) return i;
        return -1;
    }

    private void safe(Runnable r) {
        try { r.run(); } catch (RuntimeException ignored) { /* a listener's failure is not detection's */ }
    }
}
