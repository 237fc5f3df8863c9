package dev.wisp.detect;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a function that is only suffering (slower, queueing, costlier) from one that is the cause
 * of something: when another workload burns the host's CPU, every co-located function slows down,
 * and that is one incident about the burner, not one per victim.
 */
final class Victims {
    /** Detectors that a CPU-starved function shows without doing anything different itself. */
    private static final Set<String> EFFECTS = Set.of("warm-latency", "flat-load", "host-cpu", "version-change", "wait",
            "queue", "throttle", "cold-start-surge", "cost-rate", "lingering-instances", "log-template");

    private Victims() {}

    /** Whether every signal is an effect (no own cause such as more arrivals, new sources or failures). */
    static boolean onlyEffects(List<Fired> fired) {
        for (Fired f : fired) if (!EFFECTS.contains(f.detector())) return false;
        return true;
    }

    /** One context signal for the burner's incident: what the victim shows. */
    static Signal summary(FunctionMonitor victim, List<Fired> fired, FunctionMonitor burner, long t) {
        Signal strongest = null;
        for (Fired f : fired) if (strongest == null || f.weight() > 0 && f.signal().score() > strongest.score()) strongest = f.signal();
        String name = (victim.tenant == null ? "" : victim.tenant + "/") + victim.function;
        return new Signal("victim", "co-located functions", t, 0.6, 0, 0,
                String.format(Locale.ROOT, "%s slowed down too while %s burnt the host's CPU (%s)", name, burner.function,
                        strongest == null ? "" : strongest.evidence()));
    }
}
