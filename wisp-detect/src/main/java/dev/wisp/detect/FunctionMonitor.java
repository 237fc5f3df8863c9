package dev.wisp.detect;

import dev.wisp.detect.baseline.SeasonalBaseline;
import dev.wisp.detect.baseline.SeasonalPeak;
import dev.wisp.detect.logs.TemplateMiner;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.Trigger;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streaming features and detectors for one tenant+function. Per-record work is a handful of counter
 * updates plus three sketch updates; per second the rings are pushed and the detectors compare
 * windows with the seasonal baselines; per minute the baselines learn. Memory is bounded: rings of
 * 1024 s, baselines of fixed size, at most {@code maxSourcesPerFunction} remembered sources and
 * {@code maxTemplatesPerKey} log templates.
 */
final class FunctionMonitor {
    private static final int TRIGGERS = Trigger.values().length;

    final String tenant;
    final String function;
    private final DetectionConfig cfg;
    private long firstSec = Long.MIN_VALUE;
    private long ringStartSec = Long.MIN_VALUE;

    // ---- the open second ----
    private int sCompleted, sThrottledRec, sThrottleEv, sErrors, sCold, sCreated, sEventFail, sRetries, sWarmN, sWaitN;
    private double sWarmSum, sWaitSum, sGbs;
    private int sSlow;
    private double slowMs = Double.POSITIVE_INFINITY; // a warm call slower than this counts as slow

    // ---- live platform state ----
    private boolean everConc;
    private int queued, conc, instances = -1;
    private final ArrivalCounter arrivalCounter = new ArrivalCounter();
    private int idle = -1, busy, initializing;
    double instanceCpu; // millicores of this function's instances, summed over the open second
    private final Ring rCpu = new Ring();

    // ---- rings ----
    private final Ring rA = new Ring(), rR = new Ring(), rT = new Ring(), rC = new Ring(), rE = new Ring(),
            rG = new Ring(), rWD = new Ring(), rWN = new Ring(), rWT = new Ring(), rWTN = new Ring(),
            rEF = new Ring(), rRetry = new Ring(), rI = new Ring(), rQ = new Ring(), rIdle = new Ring(), rSlow = new Ring();

    // ---- the open minute ----
    private double mA, mG, mC, mE, mT, mWarmSum, mWarmN, mWaitSum, mWaitN, mQueued, mSlow;
    private final KllFloatsSketch warmKll = KllFloatsSketch.newHeapInstance(64);
    private final KllFloatsSketch coldKll = KllFloatsSketch.newHeapInstance(64);
    private float lastWarmP95 = Float.NaN, lastColdP50 = Float.NaN;
    private final HllSketch hll = new HllSketch(10);
    private FrequentItemsSketch<String> top = new FrequentItemsSketch<>(32);
    private FrequentItemsSketch<String> prevTop = new FrequentItemsSketch<>(32);
    private final Map<String, Integer> errTypes = new HashMap<>();
    private Map<String, Integer> prevErrTypes = Map.of();
    private final int[] trigMinute = new int[TRIGGERS];
    private final int[] trigPrevMinute = new int[TRIGGERS];

    // ---- baselines (per-minute values, per second units) ----
    final SeasonalBaseline blRate, blGbs, blCold, blErr, blWarm, blWait, blQueued, blSources, blThrottle;
    private double gMean, g2; // per-invocation GB-s: mean and mean square (EWMA)
    private long gN;
    private double throttleEwma; // throttles per second, long-run
    // the busiest minute seen per time-of-day slot (arrivals/s, GB-s/s): a sparse function that
    // fires minute-long bursts is idle for most of a slot, which the slot's mean and robust scale
    // cannot represent; a burst as large as one it already had at this time is no evidence
    final SeasonalPeak pkRate, pkGbs;
    // the usual share of warm calls slower than latencyRatio x expected (long-run, per minute):
    // a heavy-tailed function has many, so a few more lifting the mean are no regression
    private double slowFrac;
    private long slowFracN;

    // ---- sources, triggers, versions ----
    private static final class SourceStat {
        final long firstSec;
        long lastSec;
        long total;
        int minute;
        int prevMinute;
        boolean isNew;

        SourceStat(long firstSec, boolean isNew) { this.firstSec = firstSec; this.isNew = isNew; }
    }

    private final HashMap<String, SourceStat> sources = new HashMap<>();
    private final ArrayList<Map.Entry<String, SourceStat>> newSources = new ArrayList<>();
    private int knownTriggers; // bit mask
    private final long[] newTriggerCount = new long[TRIGGERS];
    private final long[] newTriggerLast = new long[TRIGGERS];
    private final long[] triggerFirstSec = new long[TRIGGERS];
    private String lastVersion;
    private long versionChangedSec = Long.MIN_VALUE;
    private String previousVersion;
    private final LinkedHashMap<String, Boolean> failedEventIds = new LinkedHashMap<>(64, 0.75f, false) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) { return size() > 4096; }
    };

    // ---- logs ----
    private final TemplateMiner logs;
    private final List<TemplateMiner.Finding> logFindings = new ArrayList<>();
    private long logFindingsSec = Long.MIN_VALUE;

    FunctionMonitor(String tenant, String function, DetectionConfig cfg) {
        this.tenant = tenant;
        this.function = function;
        this.cfg = cfg;
        SeasonalBaseline.Params p = SeasonalBaseline.Params.defaults();
        if (cfg.slotMinutes() != p.slotMinutes() && cfg.slotMinutes() > 0 && 1440 % cfg.slotMinutes() == 0) {
            p = new SeasonalBaseline.Params(cfg.slotMinutes(), p.weekendProfile(), p.levelTauSeconds(), p.slotMemoryDays(),
                    p.scaleTauSeconds(), p.clipSigmas(), p.warmupSamples(), p.minSigma(), p.relMinSigma(), p.direction());
        }
        blRate = new SeasonalBaseline(p);
        blGbs = new SeasonalBaseline(p);
        blCold = new SeasonalBaseline(p);
        blErr = new SeasonalBaseline(p);
        blWarm = new SeasonalBaseline(p);
        blWait = new SeasonalBaseline(p);
        blQueued = new SeasonalBaseline(p);
        blThrottle = new SeasonalBaseline(p);
        blSources = new SeasonalBaseline(p);
        pkRate = new SeasonalPeak(p.slotMinutes(), p.slotMemoryDays());
        pkGbs = new SeasonalPeak(p.slotMinutes(), p.slotMemoryDays());
        logs = new TemplateMiner(cfg.maxTemplatesPerKey());
        java.util.Arrays.fill(triggerFirstSec, Long.MIN_VALUE);
    }

    void touch(long sec) {
        if (firstSec == Long.MIN_VALUE) firstSec = sec;
    }

    boolean warm(long sec) {
        return firstSec != Long.MIN_VALUE && sec - firstSec >= cfg.warmupSeconds()
                && blRate.count() >= cfg.minBaselineMinutes();
    }

    // =====================================================================================
    // input
    // =====================================================================================

    void onRecord(InvocationRecord r, long sec) {
        arrivalCounter.onRecord(r.receivedAt());
        InvocationStatus st = r.status();
        boolean throttled = st == InvocationStatus.THROTTLED || st == InvocationStatus.REJECTED;
        if (throttled) {
            sThrottledRec++;
        } else {
            sCompleted++;
            double dur = r.durationMs();
            if (st == InvocationStatus.SUCCESS && dur >= 0 && Double.isFinite(dur)) {
                if (r.coldStart()) {
                    coldKll.update((float) dur);
                } else {
                    sWarmSum += dur;
                    sWarmN++;
                    if (dur > slowMs) sSlow++;
                    warmKll.update((float) dur);
                }
            }
            double w = r.waitMs();
            if (w >= 0 && Double.isFinite(w)) { sWaitSum += w; sWaitN++; }
            if (r.coldStart()) sCold++;
            double g = r.gbSeconds();
            if (g > 0 && Double.isFinite(g)) {
                sGbs += g;
                double a = gN < 100 ? 1.0 / (gN + 1) : 0.01;
                gMean += a * (g - gMean);
                g2 += a * (g * g - g2);
                gN++;
            }
        }
        boolean failed = st == InvocationStatus.ERROR || st == InvocationStatus.TIMEOUT || st == InvocationStatus.OOM
                || st == InvocationStatus.CRASH;
        if (failed) {
            sErrors++;
            String et = st.wireName() + (r.errorType() == null ? "" : ":" + r.errorType());
            if (errTypes.size() < 16 || errTypes.containsKey(et)) errTypes.merge(et, 1, Integer::sum);
        }
        Trigger tr = r.trigger();
        if (tr != null) {
            int b = tr.ordinal();
            trigMinute[b]++;
            if ((knownTriggers & (1 << b)) == 0) {
                if (!warm(sec)) knownTriggers |= 1 << b;
                else {
                    if (triggerFirstSec[b] == Long.MIN_VALUE) triggerFirstSec[b] = sec;
                    newTriggerCount[b]++;
                    newTriggerLast[b] = sec;
                    if (sec - triggerFirstSec[b] > 86_400) knownTriggers |= 1 << b;
                }
            }
            if (tr == Trigger.EVENT && r.requestId() != null) {
                String event = eventId(r.requestId());
                if (failedEventIds.containsKey(event)) sRetries++;
                if (failed) { sEventFail++; failedEventIds.put(event, Boolean.TRUE); }
            }
        }
        String src = r.sourceId();
        if (src != null) {
            hll.update(src);
            top.update(src);
            SourceStat s = sources.get(src);
            if (s == null && sources.size() < cfg.maxSourcesPerFunction()) {
                s = new SourceStat(sec, warm(sec));
                sources.put(src, s);
                if (s.isNew && newSources.size() < 32) newSources.add(Map.entry(src, s));
            }
            if (s != null) { s.lastSec = sec; s.total++; s.minute++; }
        }
        String v = r.version();
        if (v != null && !v.equals(lastVersion)) {
            if (lastVersion != null) { versionChangedSec = sec; previousVersion = lastVersion; }
            lastVersion = v;
        }
    }

    void onThrottleEvent() { sThrottleEv++; }

    /** Instances retired by a deploy: a new revision replaces them (the version name may stay, e.g. $LATEST). */
    void onRetired(long sec) {
        if (warm(sec) && (versionChangedSec == Long.MIN_VALUE || sec - versionChangedSec > 60)) {
            versionChangedSec = sec;
            previousVersion = null;
        }
    }

    /** Closes the open second's CPU (before {@link #closeSecond}, so the host sees every function's). */
    void pushCpu(long sec) {
        rCpu.push(sec, instanceCpu);
        instanceCpu = 0;
    }

    /** CPU this function's instances burnt over the last 10 s, millicores. */
    double cpu10() { return rCpu.sum(Ring.W10) / 10; }

    /** CPU this function's instances burnt over the last minute, millicores. */
    double cpu60() { return rCpu.sum(Ring.W60) / 60; }

    /** An async retry's request id is its event's id plus "-retry" and the attempt number. */
    static String eventId(String requestId) {
        int i = requestId.lastIndexOf("-retry");
        if (i <= 0 || i + 6 >= requestId.length()) return requestId;
        for (int k = i + 6; k < requestId.length(); k++) if (!Character.isDigit(requestId.charAt(k))) return requestId;
        return requestId.substring(0, i);
    }

    void onCreated(boolean provisioned) {
        sCreated++;
        if (!provisioned) arrivalCounter.onColdStart();
    }

    void onConcurrency(long at, int queued, int concurrent, int instances) {
        this.queued = Math.max(0, queued);
        this.conc = Math.max(0, concurrent);
        this.instances = Math.max(0, instances);
        everConc = true;
        arrivalCounter.onSample(at, this.queued + this.conc);
    }

    void onFunctionSample(int idle, int busy, int initializing) {
        this.idle = Math.max(0, idle);
        this.busy = Math.max(0, busy);
        this.initializing = Math.max(0, initializing);
        if (!everConc) this.instances = this.idle + this.busy + this.initializing;
    }

    void onInstanceCpu(double millicores) {
        if (millicores > 0 && Double.isFinite(millicores)) instanceCpu += millicores;
    }

    void onLog(long ts, String level, String message) {
        logs.add(ts, level, message);
    }

    // =====================================================================================
    // per second
    // =====================================================================================

    /**
     * Closes second {@code sec}: pushes the rings, learns at minute ends (robustly, see {@link SeasonalBaseline}),
     * and runs the detectors. Signals are added to {@code out}.
     */
    void closeSecond(long sec, boolean incidentOpen, HostMonitor host, List<Fired> out) {
        long t = (sec + 1) * 1000;
        if (ringStartSec == Long.MIN_VALUE) ringStartSec = sec;
        int throttles = Math.max(sThrottledRec, sThrottleEv);
        // throttle events without a record of their own are arrivals too
        double arrivals = arrivalCounter.closeSecond() + Math.max(0, sThrottleEv - sThrottledRec);
        rA.push(sec, arrivals);
        rR.push(sec, sCompleted);
        rT.push(sec, throttles);
        rC.push(sec, Math.max(sCreated, 0));
        rE.push(sec, sErrors);
        rG.push(sec, sGbs);
        rWD.push(sec, sWarmSum);
        rWN.push(sec, sWarmN);
        rSlow.push(sec, sSlow);
        rWT.push(sec, sWaitSum);
        rWTN.push(sec, sWaitN);
        rEF.push(sec, sEventFail);
        rRetry.push(sec, sRetries);
        rI.push(sec, Math.max(instances, 0));
        rIdle.push(sec, Math.min(1, Math.max(idle, 0)) * (queued > 0 ? 1 : 0));
        rQ.push(sec, queued);
        double aT = 1.0 / 86_400;
        throttleEwma += aT * (throttles - throttleEwma);

        mA += arrivals; mG += sGbs; mC += sCreated; mE += sErrors; mT += throttles;
        mWarmSum += sWarmSum; mWarmN += sWarmN; mWaitSum += sWaitSum; mWaitN += sWaitN; mQueued += queued; mSlow += sSlow;

        boolean warm = warm(sec);
        if (warm) detect(sec, t, incidentOpen, host, out);
        if ((sec + 1) % 60 == 0) closeMinute(sec, t, incidentOpen, warm, out);

        sCompleted = sThrottledRec = sThrottleEv = sErrors = sCold = sCreated = sEventFail = sRetries = sWarmN = sWaitN = 0;
        sWarmSum = sWaitSum = sGbs = 0;
        sSlow = 0;
        slowMs = blWarm.count() > 0 ? cfg.latencyRatio() * blWarm.expected(t) : Double.POSITIVE_INFINITY;
    }

    private long covered(long sec) { return sec - ringStartSec + 1; }

    private void detect(long sec, long t, boolean incidentOpen, HostMonitor host, List<Fired> out) {
        String ctx = blRate.contextLabel(t);
        double lam = Math.max(blRate.expectedUpper(t), 1.0 / 3600);
        double sm = blRate.sigmaUpper(t);
        double sx2 = Math.max(0, sm * sm - lam / 60);
        long cov = covered(sec);

        // ---- arrival-rate bursts (1, 3, 10 s) against max(seasonal, recent local level) ----
        double local = cov >= 900 ? Math.max(0, (rA.sum(Ring.W900) - rA.sum(Ring.W10)) / 890.0) : 0;
        double lamB = Math.max(lam, local);
        double pk = pkRate.upper(t);
        Excess bu = strongestArrivalExcess(Ring.W1, Ring.W10, lamB, pk, sx2, cov, cfg.burstZ(), cfg.burstRatio(), cfg.minBurstExcess());
        boolean burst = bu != null;
        if (burst) {
            int w = Ring.W[bu.k()];
            double obs = rA.sum(bu.k()) / w;
            out.add(new Fired(new Signal("rate-burst", "arrivals/s", t, sig(bu.z(), cfg.burstZ()), obs, lamB,
                    String.format(Locale.ROOT, "arrival rate %.1f/s over %d s vs expected %.1f/s for %s (z=%.1f%s)",
                            obs, w, lamB, ctx, bu.z(), peakNote(pk, lamB))), 1.0, true));
            // a pool gone cold: at most one instance alive just before the burst
            double before = Math.max(rI.at(sec - 1), Math.max(rI.at(sec - 2), rI.at(sec - 3)));
            if (everConc && before <= 1) {
                out.add(new Fired(new Signal("cold-pool", "instances", t, 0.6, before, Math.max(1, lam),
                        String.format(Locale.ROOT, "the burst hit a cold pool: %.0f instance(s) alive just before it", before)), 0, false));
            }
        }

        // ---- level shifts (60, 300, 900 s) against the seasonal expectation ----
        Excess sh = strongestArrivalExcess(Ring.W60, Ring.W900, lam, pk, sx2, cov, cfg.shiftZ(), cfg.shiftRatio(), cfg.minShiftExcess());
        boolean shift = sh != null;
        if (shift) {
            int w = Ring.W[sh.k()];
            double obs = rA.sum(sh.k()) / w;
            out.add(new Fired(new Signal("rate-shift", "arrivals/s", t, sig(sh.z(), cfg.shiftZ()), obs, lam,
                    String.format(Locale.ROOT, "arrival rate %.2f/s over the last %d s vs expected %.2f/s for %s (z=%.1f%s)",
                            obs, w, lam, ctx, sh.z(), w <= 60 ? peakNote(pk, lam) : "")), 1.0, false));
        }

        // ---- cold-start surge ----
        double lamC = Math.max(blCold.expectedUpper(t), 1.0 / 3600);
        double smC = blCold.sigmaUpper(t);
        double sxC2 = Math.max(0, smC * smC - lamC / 60);
        for (int k = Ring.W3; k <= Ring.W10; k++) {
            int w = Ring.W[k];
            if (cov < w) break;
            double c = rC.sum(k), e = lamC * w;
            double z = (c - e) / Math.sqrt(e + sxC2 * w * w + 1);
            if (c >= 5 && z >= cfg.shiftZ() && c >= 3 * e) {
                out.add(new Fired(new Signal("cold-start-surge", "cold starts/s", t, sig(z, cfg.shiftZ()), c / w, lamC,
                        String.format(Locale.ROOT, "%.0f cold starts in %d s vs expected %.2f (z=%.1f)", c, w, e, z)),
                        0.6, false));
                break;
            }
        }

        // ---- queueing ----
        double lamQ = Math.max(0, blQueued.expectedUpper(t));
        double sQ = blQueued.sigmaUpper(t);
        double q3 = rQ.sum(Ring.W3) / 3, q10 = rQ.sum(Ring.W10) / 10;
        double qThr = Math.max(5, 3 * lamQ + 3);
        if (queued >= qThr && q3 >= qThr * 0.6 && (q3 - lamQ) / Math.max(sQ, 0.5) >= cfg.shiftZ()) {
            boolean sustained = cov >= 10 && q10 >= qThr;
            // the pool takes a queued request as soon as an instance is idle: a queue next to idle
            // instances means requests are held before the pool (the controller's dispatch)
            if (idle >= 1 && rIdle.sum(Ring.W3) >= 3) {
                out.add(new Fired(new Signal("dispatch-stall", "idle instances", t, 0.8, idle, 0,
                        String.format(Locale.ROOT, "%d requests wait while %d instances sit idle", queued, idle)), 0.5, false));
            }
            out.add(new Fired(new Signal("queue", "queued", t, sig((q3 - lamQ) / Math.max(sQ, 0.5), cfg.shiftZ()), queued, lamQ,
                    String.format(Locale.ROOT, "%d requests queued (%d running, %d instances) vs usually %.1f",
                            queued, conc, Math.max(instances, 0), lamQ)), sustained ? 1.0 : 0.5, false));
        }

        // ---- throttling ----
        // against the seasonal expectation too: a recurring batch that hits its limit every night is usual
        double t10 = rT.sum(Ring.W10);
        double lamT = Math.max(throttleEwma, Math.max(0, blThrottle.expectedUpper(t)));
        double sT = Math.max(0, blThrottle.sigmaUpper(t));
        double zT = (t10 - 10 * lamT) / Math.sqrt(10 * lamT + 100 * sT * sT + 1);
        if (t10 >= 3 && t10 >= 100 * lamT + 3 && zT >= cfg.shiftZ()) {
            out.add(new Fired(new Signal("throttle", "throttles/s", t, Math.min(1, 0.5 + t10 / 100), t10 / 10, lamT,
                    String.format(Locale.ROOT, "%.0f requests throttled in 10 s (usually %.3f/s): concurrency saturated",
                            t10, lamT)), 1.0, true));
        }

        // ---- waiting (queueing delay seen by completed requests) ----
        double wn = rWTN.sum(Ring.W10);
        if (wn >= 3 && blWait.count() > 0) {
            double mean = rWT.sum(Ring.W10) / wn;
            double e = Math.max(0, blWait.expectedUpper(t));
            double s = Math.max(blWait.sigmaUpper(t), 1);
            double z = (mean - e) / s;
            if (mean >= Math.max(1000, 3 * e + 200) && z >= cfg.shiftZ()) {
                out.add(new Fired(new Signal("wait", "waitMs", t, sig(z, cfg.shiftZ()), mean, e,
                        String.format(Locale.ROOT, "requests waited %.0f ms on average over 10 s vs usually %.0f ms (z=%.1f)",
                                mean, e, z)), 0.5, false));
            }
        }

        // ---- warm latency ----
        // a minute's mean against the per-minute baseline; a sharp rise already over 10 s (its mean
        // is noisier: sigma scaled by sqrt(6), and it must at least double)
        for (int k = Ring.W10; k <= Ring.W60 && blWarm.count() >= 30; k += Ring.W60 - Ring.W10) {
            int w = Ring.W[k];
            double dn = rWN.sum(k);
            if (dn < 20) continue;
            double mean = rWD.sum(k) / dn;
            double e = blWarm.expected(t);
            double s = Math.max(blWarm.sigma(t), 0.5) * Math.sqrt(60.0 / w);
            double z = (mean - e) / s;
            double ratio = w < 60 ? Math.max(2, cfg.latencyRatio()) : cfg.latencyRatio();
            // many calls slower, not a few outliers of a heavy tail lifting the mean
            double slow = rSlow.sum(k);
            // ... and more of them than usual: with a heavy tail many calls are slow anyway
            double p0 = Math.min(0.95, Math.max(0.01, slowFrac));
            double zSlow = (slow - p0 * dn) / Math.sqrt(dn * p0 * (1 - p0) + 1);
            if (mean >= ratio * e && mean - e >= 5 && z >= cfg.shiftZ() && slow >= 5 && slow >= 0.2 * dn
                    && zSlow >= SLOW_SHARE_Z) {
                boolean flat = rA.sum(Ring.W60) <= 1.3 * lam * 60 + 3 * Math.sqrt(lam * 60 + 1);
                boolean other = host.burntByOther(this);
                String hostNote = other ? String.format(Locale.ROOT, "; host CPU %.0f millicores vs usually %.0f",
                        host.cpu60(), host.expected()) : host.burner() == this ? "; this function burns the host's CPU" : "; host CPU normal";
                out.add(new Fired(new Signal("warm-latency", "warm duration ms", t, sig(z, cfg.shiftZ()), mean, e,
                        String.format(Locale.ROOT, "warm duration %.0f ms over %d s vs expected %.0f ms for %s (z=%.1f)%s%s%s",
                                mean, w, e, ctx, z, flat ? ", load flat" : ", load up", hostNote,
                                Float.isNaN(lastWarmP95) ? "" : String.format(Locale.ROOT, ", last minute p95 %.0f ms", lastWarmP95))),
                        1.0, false));
                if (flat) out.add(new Fired(new Signal("flat-load", "arrivals/s", t, 0.5, rA.sum(Ring.W60) / 60, lam,
                        "own load flat while latency rose"), 0, false));
                if (other) out.add(new Fired(host.contextFor(t), 0.3, false));
                if (versionChangedSec != Long.MIN_VALUE && sec - versionChangedSec < 3600) {
                    out.add(new Fired(new Signal("version-change", "version", t, 0.7, 0, 0,
                            (previousVersion == null ? "a deploy replaced the instances " : "version " + lastVersion + " replaced " + previousVersion + " ")
                                    + (sec - versionChangedSec) + " s ago"),
                            0.3, false));
                }
                break;
            }
        }

        // ---- errors ----
        double lamE = Math.max(blErr.expectedUpper(t), 1.0 / 86_400);
        double smE = blErr.sigmaUpper(t);
        double sxE2 = Math.max(0, smE * smE - lamE / 60);
        for (int k = Ring.W10; k <= Ring.W60; k += (Ring.W60 - Ring.W10)) {
            int w = Ring.W[k];
            if (cov < w) break;
            double c = rE.sum(k), e = lamE * w, done = Math.max(1, rR.sum(k));
            double z = (c - e) / Math.sqrt(e + sxE2 * w * w + 1);
            double frac = c / done, baseFrac = lamE / Math.max(lam, 1e-6);
            if (c >= cfg.errorMinCount() && z >= cfg.shiftZ() && frac >= Math.max(0.05, 3 * baseFrac)) {
                out.add(new Fired(new Signal("error-spike", "errors/s", t, sig(z, cfg.shiftZ()), c / w, lamE,
                        String.format(Locale.ROOT, "%.0f failures in %d s (%.0f%% of completions) vs expected %.2f; %s (z=%.1f)",
                                c, w, 100 * frac, e, topErrors(), z)), 1.0, true));
                double ef = rEF.sum(k);
                if (ef >= 0.5 * c) out.add(new Fired(new Signal("async-failures", "event errors/s", t, 0.6, ef / w, 0,
                        String.format(Locale.ROOT, "%.0f of them from async event invocations", ef)), 0.3, false));
                break;
            }
        }
        double retries = rRetry.sum(Ring.W60);
        if (retries >= 3) {
            out.add(new Fired(new Signal("retries", "retries/s", t, Math.min(1, 0.5 + retries / 200), retries / 60, 0,
                    String.format(Locale.ROOT, "%.0f retried async events in 60 s", retries)), 0.5, false));
        }

        // ---- cost (GB-second rate) ----
        double lamG = Math.max(blGbs.expectedUpper(t), 1e-9);
        double smG = blGbs.sigmaUpper(t);
        double sxG2 = Math.max(0, smG * smG - lam * g2 / 60);
        double pkG = pkGbs.upper(t);
        double bestZ = 0; int bestK = -1;
        for (int k = Ring.W60; k <= Ring.W900; k++) {
            int w = Ring.W[k];
            if (cov < w || gN == 0) break;
            double c = rG.sum(k), e = (w <= 60 ? Math.max(lamG, pkG) : lamG) * w;
            double z = (c - e) / Math.sqrt(lam * w * g2 + sxG2 * w * w + gMean * gMean);
            double excessInv = (c - e) / Math.max(gMean, 1e-9);
            if (c >= cfg.costRatio() * e && z >= cfg.shiftZ() && excessInv >= cfg.minShiftExcess() && z > bestZ) {
                bestZ = z; bestK = k;
            }
        }
        if (bestK >= 0) {
            int w = Ring.W[bestK];
            double obs = rG.sum(bestK) / w;
            // spend driven by more calls is a cause on its own; spend from longer calls with flat
            // load is an effect of whatever made them slower, and needs corroboration
            double calls = rR.sum(bestK), usual = (w <= 60 ? Math.max(lam, pk) : lam) * w;
            boolean moreCalls = calls >= cfg.shiftRatio() * usual && calls - usual >= 3 * Math.sqrt(usual + 1);
            out.add(new Fired(new Signal("cost-rate", "GB-s/s", t, sig(bestZ, cfg.shiftZ()), obs, lamG,
                    String.format(Locale.ROOT, "spend %.3f GB-s/s over %d s vs expected %.3f GB-s/s for %s (x%.1f, z=%.1f; %.1f GB-s per call; %s)",
                            obs, w, lamG, ctx, obs / lamG, bestZ, gMean, moreCalls ? "more calls" : "calls at their usual rate")),
                    moreCalls ? 1.0 : 0.5, false));
        }

        // ---- new sources ----
        if (!newSources.isEmpty()) {
            double recent = Math.max(1, rR.sum(Ring.W60) + rT.sum(Ring.W60));
            for (int i = newSources.size() - 1; i >= 0; i--) {
                var en = newSources.get(i);
                SourceStat s = en.getValue();
                if (sec - s.lastSec > 3600 || sec - s.firstSec > 86_400) { s.isNew = false; newSources.remove(i); continue; }
                if (s.total >= cfg.newSourceMinCount() && sec - s.lastSec <= 10 && (sec - s.firstSec) % 10 == 0) {
                    double share = (s.minute + s.prevMinute) / Math.max(recent, s.minute + s.prevMinute);
                    out.add(new Fired(new Signal("new-source", "requests", t, Math.min(1, 0.5 + share / 2), s.total, 0,
                            String.format(Locale.ROOT, "new source %s (first seen %s, unknown before) sent %d requests (%.0f%% of recent traffic)",
                                    en.getKey(), ago(sec - s.firstSec), s.total, 100 * Math.min(1, share))),
                            share >= 0.2 ? 1.0 : 0.6, false));
                    // what the newcomer's calls cost: at least as much again as the function usually
                    // spends is draining budget, not only an unknown caller
                    double added = s.total / (double) Math.max(60, sec - s.firstSec) * gMean;
                    if (gN > 0 && added >= lamG) {
                        out.add(new Fired(new Signal("source-spend", "GB-s/s", t, 0.6, added, lamG,
                                String.format(Locale.ROOT, "its calls add about %.3f GB-s/s to a usual %.3f GB-s/s", added, lamG)), 0, false));
                    }
                }
            }
        }

        // ---- new triggers ----
        for (int b = 0; b < TRIGGERS; b++) {
            if ((knownTriggers & (1 << b)) != 0 || newTriggerCount[b] < cfg.newTriggerMinCount()) continue;
            if (sec - newTriggerLast[b] <= 10) {
                out.add(new Fired(new Signal("new-trigger", "requests", t, 0.9, newTriggerCount[b], 0,
                        String.format(Locale.ROOT, "invoked through trigger '%s', never used by this function before (%d requests)",
                                Trigger.values()[b].wireName(), newTriggerCount[b])), 1.0, true));
            }
        }

        // ---- lingering instances (context for an open incident) ----
        if (incidentOpen && sec % 30 == 0 && idle >= 0) {
            double need = lam * Math.max(blWarm.expected(t), 1) / 1000.0;
            boolean calm = rA.sum(Ring.W60) <= 1.5 * lam * 60 + 5;
            if (calm && idle >= Math.max(5, 3 * need + 2)) {
                out.add(new Fired(new Signal("lingering-instances", "idle instances", t, 0.6, idle, need,
                        String.format(Locale.ROOT, "%d idle instances linger after the load ended (about %.1f needed)", idle, need)),
                        0, false));
            }
        }

        // ---- log templates found at the last minute close ----
        if (logFindingsSec == sec) {
            for (TemplateMiner.Finding f : logFindings) {
                boolean err = TemplateMiner.isErrorLevel(f.level());
                out.add(new Fired(new Signal("log-template", "log lines/min", t, err ? 0.7 : 0.55, f.count(), f.usualPerMinute(),
                        (f.isNew() ? "new log template" : "surging log template") + " '" + abbreviate(f.template())
                                + "' x" + f.count() + " in a minute" + (f.isNew() ? "" : String.format(Locale.ROOT,
                                " (usually %.1f)", f.usualPerMinute()))), err ? 0.6 : 0.3, false));
            }
        }
    }

    private void closeMinute(long sec, long t, boolean incidentOpen, boolean warm, List<Fired> out) {
        long mid = t - 30_000;
        double distinct = hll.isEmpty() ? 0 : hll.getEstimate();
        if (warm && blSources.warm()) {
            double e = Math.max(1, blSources.expectedUpper(mid));
            double s = Math.max(blSources.sigmaUpper(mid), 0.5);
            double z = (distinct - e) / s;
            if (distinct >= 10 && distinct >= 2 * e && z >= cfg.shiftZ()) {
                out.add(new Fired(new Signal("source-spread", "distinct sources/min", t, sig(z, cfg.shiftZ()), distinct, e,
                        String.format(Locale.ROOT, "%.0f distinct sources in the last minute vs usually %.1f for %s (z=%.1f)",
                                distinct, e, blSources.contextLabel(mid), z)), 0.6, false));
            }
        }
        {
            blRate.update(mid, mA / 60);
            blGbs.update(mid, mG / 60);
            blCold.update(mid, mC / 60);
            blErr.update(mid, mE / 60);
            if (mWarmN >= 3) blWarm.update(mid, mWarmSum / mWarmN);
            if (mWaitN >= 3) blWait.update(mid, mWaitSum / mWaitN);
            blQueued.update(mid, mQueued / 60);
            blThrottle.update(mid, mT / 60);
            blSources.update(mid, distinct);
            // peaks count only on later days (see SeasonalPeak), so they learn every minute: a
            // recurring burst that raised an incident yesterday is what this function does
            pkRate.update(mid, mA / 60);
            pkGbs.update(mid, mG / 60);
            if (!incidentOpen) {
                if (mWarmN >= 3 && Double.isFinite(slowMs)) {
                    slowFracN++;
                    slowFrac += Math.max(1.0 / slowFracN, 1.0 / 1440) * (mSlow / mWarmN - slowFrac);
                }
            }
        }
        if (!warmKll.isEmpty()) lastWarmP95 = warmKll.getQuantile(0.95, QuantileSearchCriteria.INCLUSIVE);
        if (!coldKll.isEmpty()) lastColdP50 = coldKll.getQuantile(0.5, QuantileSearchCriteria.INCLUSIVE);
        warmKll.reset();
        coldKll.reset();
        hll.reset();
        FrequentItemsSketch<String> swap = prevTop;
        prevTop = top;
        swap.reset();
        top = swap;
        prevErrTypes = errTypes.isEmpty() ? Map.of() : new HashMap<>(errTypes);
        errTypes.clear();
        System.arraycopy(trigMinute, 0, trigPrevMinute, 0, TRIGGERS);
        java.util.Arrays.fill(trigMinute, 0);
        for (SourceStat s : sources.values()) { s.prevMinute = s.minute; s.minute = 0; }
        logFindings.clear();
        logFindings.addAll(logs.closeMinute(Math.max(1, cfg.warmupSeconds() / 60), 3, 20));
        logFindingsSec = sec + 1;
        mA = mG = mC = mE = mT = mWarmSum = mWarmN = mWaitSum = mWaitN = mQueued = mSlow = 0;
    }

    // =====================================================================================
    // for explanations
    // =====================================================================================

    /** The heaviest sources over the current and previous minute, "name (share%)". */
    List<String> topSources(int n) {
        Map<String, Long> est = new HashMap<>();
        long total = top.getStreamLength() + prevTop.getStreamLength();
        for (var r : top.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) est.merge(r.getItem(), r.getEstimate(), Long::sum);
        for (var r : prevTop.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) est.merge(r.getItem(), r.getEstimate(), Long::sum);
        List<String> out = new ArrayList<>();
        est.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
                .forEach(e -> out.add(String.format(Locale.ROOT, "%s (%.0f%%)", e.getKey(),
                        100.0 * e.getValue() / Math.max(1, total))));
        return out;
    }

    /** The triggers used over the current and previous minute, "http (97%)". */
    List<String> triggers() {
        long total = 0;
        for (int b = 0; b < TRIGGERS; b++) total += trigMinute[b] + trigPrevMinute[b];
        List<String> out = new ArrayList<>();
        for (int b = 0; b < TRIGGERS; b++) {
            long c = trigMinute[b] + trigPrevMinute[b];
            if (c > 0) out.add(String.format(Locale.ROOT, "%s (%.0f%%)", Trigger.values()[b].wireName(), 100.0 * c / total));
        }
        return out;
    }

    private String topErrors() {
        Map<String, Integer> m = new HashMap<>(prevErrTypes);
        errTypes.forEach((k, v) -> m.merge(k, v, Integer::sum));
        if (m.isEmpty()) return "no error types recorded";
        StringBuilder sb = new StringBuilder("by type: ");
        m.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(3)
                .forEach(e -> sb.append(e.getKey()).append(" x").append(e.getValue()).append(", "));
        sb.setLength(sb.length() - 2);
        return sb.toString();
    }

    double expectedRate(long t) { return blRate.count() == 0 ? 0 : Math.max(0, blRate.expectedUpper(t)); }

    /** Signal strength: 0.5 at the threshold, towards 1 above it. */
    static double sig(double z, double thr) {
        if (!(z > 0)) return 0;
        double s = 1 - 0.5 * Math.exp(-(z - thr) / Math.max(thr, 1e-9) * 2);
        return Math.max(0, Math.min(1, s));
    }

    private static String ago(long seconds) {
        if (seconds < 120) return seconds + " s ago";
        if (seconds < 7200) return seconds / 60 + " min ago";
        return seconds / 3600 + " h ago";
    }

    private static String abbreviate(String s) { return s.length() <= 80 ? s : s.substring(0, 77) + "..."; }

    /** Z of the slow-call count against the usual slow share needed besides the latency z. */
    private static final double SLOW_SHARE_Z = 4;

    private static String peakNote(double peak, double expected) {
        return peak > expected ? String.format(Locale.ROOT, "; busiest usual minute at this time %.2f/s", peak) : "";
    }

    /** A window of the arrival ring (an index into {@link Ring#W}) and how significant its excess is. */
    private record Excess(int k, double z) {}

    /**
     * The window among {@code from..to} whose arrivals exceed {@code rate} (for windows up to a minute,
     * at least {@code peak}) most significantly
     * (Poisson noise plus the learned minute-level variance {@code sx2}), passing all three
     * firing rules; null when none does.
     */
    private Excess strongestArrivalExcess(int from, int to, double rate, double peak, double sx2, long cov, double minZ,
                                          double minRatio, double minExcess) {
        Excess best = null;
        for (int k = from; k <= to; k++) {
            int w = Ring.W[k];
            if (cov < w) break;
            // up to a minute, the window must also beat the busiest minute seen at this time of day
            double c = rA.sum(k), e = (w <= 60 ? Math.max(rate, peak) : rate) * w;
            double z = (c - e) / Math.sqrt(e + sx2 * w * w + 1);
            if (z >= minZ && c >= minRatio * e && c - e >= minExcess && (best == null || z > best.z())) best = new Excess(k, z);
        }
        return best;
    }
}
