package dev.wisp.bench.live;

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

    /**
     * Mean {@code ratePerSecond}, relative swing {@code amplitude}, bumps at peak hours (UTC), weekends
     * scaled; the same daily shape as the simulator's, so live traffic follows the history's.
     *
     * @param shape one value per minute of the day in [-1, 1] with mean 0 (see {@link #of})
     */
    record Diurnal(double ratePerSecond, double amplitude, double[] shape, double weekendFactor) implements Shape {
        private static final double WIDTH_HOURS = 2.5;
        private static final long DAY_MS = 86_400_000L;

        static Diurnal of(double ratePerSecond, double amplitude, double[] peakHours, double weekendFactor) {
            double[] f = new double[1440];
            double mean = 0;
            for (int m = 0; m < 1440; m++) {
                double hour = m / 60.0;
                double v = 0;
                for (double p : peakHours) {
                    double d = Math.abs(hour - p) % 24;
                    d = Math.min(d, 24 - d);
                    v += Math.exp(-d * d / (2 * WIDTH_HOURS * WIDTH_HOURS));
                }
                f[m] = v;
                mean += v / 1440;
            }
            double span = 0;
            for (double v : f) span = Math.max(span, Math.abs(v - mean));
            for (int m = 0; m < 1440; m++) f[m] = span <= 0 ? 0 : (f[m] - mean) / span;
            return new Diurnal(ratePerSecond, amplitude, f, weekendFactor);
        }

        public double rate(long t) {
            int minute = (int) (Math.floorMod(t, DAY_MS) / 60_000L);
            double r = ratePerSecond * (1 + amplitude * shape[minute]);
            int dow = (int) Math.floorMod(Math.floorDiv(t, DAY_MS) + 3, 7L); // 1970-01-01 was a Thursday; 0 = Monday
            if (dow >= 5) r *= weekendFactor;
            return Math.max(0, r);
        }

        public double peak() { return ratePerSecond * (1 + Math.abs(amplitude)) * Math.max(1, weekendFactor); }
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
