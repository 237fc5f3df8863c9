package dev.wisp.bench.live;

import dev.wisp.bench.scenario.DailyShape;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Arrival times of a traffic pattern over an interval of the scenario's clock (epoch ms), for live
 * mode's open-loop load generator. Deterministic for a given random generator. Time-varying rates
 * (diurnal) are drawn as a non-homogeneous Poisson process by thinning.
 */
final class Arrivals {
    private Arrivals() {}

    /** The traffic shapes of SCHEMA.md, in the units live mode drives them in. */
    sealed interface Shape {
        /** Arrivals per second at scenario time {@code t}, the largest the shape reaches in [from, to) as {@link #peak}. */
        double rate(long t);

        double peak();
    }

    record Poisson(double ratePerSecond) implements Shape {
        public double rate(long t) { return ratePerSecond; }
        public double peak() { return ratePerSecond; }
    }

    /** Evenly spaced. */
    record Constant(double ratePerSecond) implements Shape {
        public double rate(long t) { return ratePerSecond; }
        public double peak() { return ratePerSecond; }
    }

    /** The simulator's daily shape ({@link DailyShape}), so live traffic follows the simulated history. */
    record Diurnal(DailyShape shape) implements Shape {
        public double rate(long t) { return shape.rate(t); }
        public double peak() { return shape.peakRate(); }
    }

    /** Bursts start as a Poisson process ({@code burstsPerHour}); within one, Poisson arrivals at {@code burstRatePerSecond}. */
    record Sporadic(double burstsPerHour, double burstSeconds, double burstRatePerSecond) implements Shape {
        public double rate(long t) { return burstRatePerSecond; }
        public double peak() { return burstRatePerSecond; }
    }

    /** One arrival every {@code everySeconds}, at multiples of it since the epoch (a cron-like phase). */
    record Schedule(double everySeconds) implements Shape {
        public double rate(long t) { return 1 / everySeconds; }
        public double peak() { return 1 / everySeconds; }
    }

    /** Arrival times in [from, to), sorted; {@code scale} multiplies every rate. */
    static List<Long> times(Shape shape, long from, long to, double scale, RandomGenerator rnd) {
        List<Long> out = new ArrayList<>();
        if (to <= from || scale <= 0) return out;
        switch (shape) {
            case Poisson p -> poisson(p.ratePerSecond() * scale, from, to, rnd, out);
            case Constant c -> {
                double r = c.ratePerSecond() * scale;
                if (r <= 0) break;
                double gap = 1000 / r;
                for (double t = from + rnd.nextDouble() * gap; t < to; t += gap) out.add((long) t);
            }
            case Diurnal d -> {
                double peak = d.peak() * scale;
                if (peak <= 0) break;
                double t = from;
                while (true) {
                    t += -Math.log(1 - rnd.nextDouble()) / peak * 1000;
                    if (t >= to) break;
                    if (rnd.nextDouble() * peak < d.rate((long) t) * scale) out.add((long) t);
                }
            }
            case Sporadic s -> {
                double perMs = s.burstsPerHour() / 3_600_000.0;
                if (perMs <= 0) break;
                double t = from;
                while (true) {
                    t += -Math.log(1 - rnd.nextDouble()) / perMs;
                    if (t >= to) break;
                    long end = Math.min(to, (long) (t + s.burstSeconds() * 1000));
                    poisson(s.burstRatePerSecond() * scale, (long) t, end, rnd, out);
                    t = end;
                }
            }
            case Schedule s -> {
                long every = Math.max(1, Math.round(s.everySeconds() * 1000 / Math.max(scale, 1e-9)));
                for (long t = Math.floorDiv(from + every - 1, every) * every; t < to; t += every) out.add(t);
            }
        }
        return out;
    }

    private static void poisson(double ratePerSecond, long from, long to, RandomGenerator rnd, List<Long> out) {
        if (ratePerSecond <= 0) return;
        double t = from;
        while (true) {
            t += -Math.log(1 - rnd.nextDouble()) / ratePerSecond * 1000;
            if (t >= to) return;
            out.add((long) t);
        }
    }
}
