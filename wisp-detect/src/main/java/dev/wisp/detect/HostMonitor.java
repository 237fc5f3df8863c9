package dev.wisp.detect;

import dev.wisp.detect.baseline.SeasonalBaseline;

import java.util.List;
import java.util.Locale;

/** Host CPU against its seasonal baseline; says whether the host is running hot right now. */
final class HostMonitor {
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
    private boolean hot;
    private long hotSince = Long.MIN_VALUE;
    private double cpu10, expected;
    private String topConsumer;

    HostMonitor(DetectionConfig cfg) { this.cfg = cfg; }

    void onHostSample(double millicores) {
        if (!Double.isFinite(millicores) || millicores < 0) return;
        sCpu += millicores;
        sN++;
        everSample = true;
    }

    boolean hot() { return hot; }

    double cpu10() { return cpu10; }

    double expected() { return expected; }

    String topConsumer() { return topConsumer; }

    long hotSeconds(long sec) { return hot ? sec - hotSince + 1 : 0; }

    /** Closes second {@code sec}; {@code top} names the function whose instances burned most CPU in it. */
    void closeSecond(long sec, String top, double topCpu, boolean learn, List<Fired> platformOut, boolean functionIncidentRecent) {
        if (!everSample) return;
        if (firstSec == Long.MIN_VALUE) firstSec = sec;
        double v = sN > 0 ? sCpu : last;
        last = v;
        sCpu = 0;
        sN = 0;
        cpu.push(sec, v);
        mCpu += v;
        mN++;
        long t = (sec + 1) * 1000;
        boolean wasHot = hot;
        hot = false;
        if (sec - firstSec >= 10 && bl.count() >= cfg.minBaselineMinutes()) {
            cpu10 = cpu.sum(Ring.W10) / 10;
            expected = Math.max(0, bl.expectedUpper(t));
            double s = Math.max(bl.sigmaUpper(t), 10);
            double z = (cpu10 - expected) / s;
            hot = cpu10 >= 1.5 * expected && cpu10 - expected >= 300 && z >= cfg.shiftZ();
            if (hot && top != null) topConsumer = String.format(Locale.ROOT, "%s (%.0f millicores)", top, topCpu);
            if (hot && !wasHot) hotSince = sec;
            if (hot && sec - hotSince >= 30) {
                platformOut.add(new Fired(new Signal("host-cpu", "host cpu millicores", t,
                        FunctionMonitor.sig(z, cfg.shiftZ()), cpu10, expected,
                        String.format(Locale.ROOT, "host CPU %.0f millicores over 10 s vs expected %.0f for %s for %d s (z=%.1f)%s",
                                cpu10, expected, bl.contextLabel(t), sec - hotSince + 1, z,
                                topConsumer == null ? "" : "; heaviest instances: " + topConsumer)),
                        functionIncidentRecent ? 0 : 1.0, false));
            }
        }
        if ((sec + 1) % 60 == 0) {
            if (learn && mN > 0) bl.update(t - 30_000, mCpu / mN);
            mCpu = 0;
            mN = 0;
        }
    }
}
