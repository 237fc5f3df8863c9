package dev.wisp.detect;

import dev.wisp.detect.baseline.SeasonalBaseline;

import java.util.List;
import java.util.Locale;

/**
 * Host CPU against its seasonal baseline: says whether the host runs hot right now (10 s) or over
 * the last minute, and which function burns most of it. While it runs hot during a function
 * incident the baseline does not learn (for at most {@link #MAX_UNLEARNED_SECONDS}), so a long
 * attack is not taken for the new normal.
 */
final class HostMonitor {
    /** A function burning at least this share of the host's CPU over a minute is its burner. */
    static final double BURNER_SHARE = 0.5;
    private static final long MAX_UNLEARNED_SECONDS = 6 * 3600;
    /** The host must run hot this long before that alone is a platform-wide signal. */
    private static final long HOT_SECONDS = 15;

    private final DetectionConfig cfg;
    private final Ring cpu = new Ring();
    private final SeasonalBaseline bl = new SeasonalBaseline(SeasonalBaseline.Params.defaults());
    private double sCpu;
    private int sN;
    private double last;
    private boolean everSample;
    private long firstSec = Long.MIN_VALUE;
    private double mCpu;
    private int mN;
    private boolean hot, hot60;
    private long hotSince = Long.MIN_VALUE, hot60Since = Long.MIN_VALUE;
    private double cpu10, cpu60, expected;
    private FunctionMonitor top10, top60; // heaviest functions over 10 s and over the minute
    private double top10Cpu, top60Cpu;

    HostMonitor(DetectionConfig cfg) { this.cfg = cfg; }

    void onHostSample(double millicores) {
        if (!Double.isFinite(millicores) || millicores < 0) return;
        sCpu += millicores;
        sN++;
        everSample = true;
    }

    boolean hot() { return hot; }

    double cpu10() { return cpu10; }

    double cpu60() { return cpu60; }

    double expected() { return expected; }

    /**
     * The function whose instances burnt at least half the host's CPU over the last minute while the
     * host runs hot (over 10 s or over the minute); null when there is none.
     */
    FunctionMonitor burner() {
        return hot || hot60 ? topBurner() : null;
    }

    /**
     * The function that burnt at least half the host's CPU over the last 10 s while it ran hot (a
     * hog that just started) or else over the last minute (an attack that saturates the host now
     * and then); null if none.
     */
    FunctionMonitor topBurner() {
        if (hot && top10 != null && top10Cpu >= BURNER_SHARE * cpu10) return top10;
        return top60 != null && cpu60 > 0 && top60Cpu >= BURNER_SHARE * cpu60 ? top60 : null;
    }

    /** Whether a workload other than {@code m} burns the host hot. */
    boolean burntByOther(FunctionMonitor m) {
        FunctionMonitor b = burner();
        return b != null && b != m;
    }

    /** "name (N millicores)" of the heaviest function over the last minute. */
    String topConsumer() {
        FunctionMonitor b = topBurner();
        if (b == null) b = top10;
        if (b == null) return null;
        return String.format(Locale.ROOT, "%s%s (%.0f millicores)", b.tenant == null ? "" : b.tenant + "/", b.function,
                b == top10 ? top10Cpu : top60Cpu);
    }

    /**
     * Closes second {@code sec}. {@code top10} / {@code top60}: the functions whose instances burnt
     * most CPU over the last 10 s / minute (millicores on average). Running hot alone becomes a
     * platform-wide signal unless a function incident is open or recent, or a known (warm) function
     * burns the host: its own detectors judge whether that is abnormal.
     */
    void closeSecond(long sec, FunctionMonitor top10, double top10Cpu, FunctionMonitor top60, double top60Cpu,
                     List<Fired> platformOut, boolean functionIncidentRecent) {
        if (!everSample) return;
        if (firstSec == Long.MIN_VALUE) firstSec = sec;
        double v = sN > 0 ? sCpu : last;
        last = v;
        sCpu = 0;
        sN = 0;
        cpu.push(sec, v);
        cpu60 = cpu.sum(Ring.W60) / Math.min(60, sec - firstSec + 1);
        mCpu += v;
        mN++;
        this.top10 = top10;
        this.top10Cpu = top10Cpu;
        this.top60 = top60;
        this.top60Cpu = top60Cpu;
        cpu10 = cpu.sum(Ring.W10) / Math.min(10, sec - firstSec + 1);
        long t = (sec + 1) * 1000;
        hot = false;
        hot60 = false;
        if (sec - firstSec >= 60 && bl.count() >= cfg.minBaselineMinutes()) {
            expected = Math.max(0, bl.expectedUpper(t));
            double s = Math.max(bl.sigmaUpper(t), 10);
            double z = (cpu10 - expected) / s;
            boolean wasHot = hot;
            hot = isHot(cpu10, expected, z);
            hot60 = isHot(cpu60, expected, (cpu60 - expected) / s);
            if (hot && hotSince == Long.MIN_VALUE) hotSince = sec;
            if (!hot) hotSince = Long.MIN_VALUE;
            if (hot60 && hot60Since == Long.MIN_VALUE) hot60Since = sec;
            if (!hot60) hot60Since = Long.MIN_VALUE;
            if (hot && sec - hotSince >= HOT_SECONDS) {
                String consumer = topConsumer();
                platformOut.add(new Fired(new Signal("host-cpu", "host cpu millicores", t,
                        FunctionMonitor.sig(z, cfg.shiftZ()), cpu10, expected,
                        String.format(Locale.ROOT, "host CPU %.0f millicores over 10 s vs expected %.0f for %s for %d s (z=%.1f)%s",
                                cpu10, expected, bl.contextLabel(t), sec - hotSince + 1, z,
                                consumer == null ? "" : "; heaviest instances: " + consumer)),
                        functionIncidentRecent || knownBurner(sec) ? 0 : 1.0, false));
            }
        }
        if ((sec + 1) % 60 == 0) {
            // a host hot during an open incident is not learned as normal; a recurring benign peak is
            boolean attacked = functionIncidentRecent && hot60Since != Long.MIN_VALUE && sec - hot60Since < MAX_UNLEARNED_SECONDS;
            if (mN > 0 && !attacked) bl.update(t - 30_000, mCpu / mN);
            mCpu = 0;
            mN = 0;
        }
    }

    private boolean knownBurner(long sec) {
        FunctionMonitor b = topBurner();
        return b != null && b.warm(sec);
    }

    private boolean isHot(double v, double expected, double z) {
        return v >= 1.5 * expected && v - expected >= 300 && z >= cfg.shiftZ();
    }

    /** A context signal for a function slowed down while another workload burns the host. */
    Signal contextFor(long t) {
        String consumer = topConsumer();
        return new Signal("host-cpu", "host cpu millicores", t, 0.7, cpu60, expected,
                String.format(Locale.ROOT, "host CPU %.0f millicores over 60 s vs usually %.0f%s", cpu60, expected,
                        consumer == null ? "" : "; heaviest: " + consumer));
    }
}
