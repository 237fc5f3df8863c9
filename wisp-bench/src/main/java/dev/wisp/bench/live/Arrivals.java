package dev.wisp.bench.live;

import dev.wisp.bench.scenario.DailyShape;

import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * A real trace's per-minute counts (SCHEMA.md "Real traces"), minute 0 being 00:00 UTC: minute N of
     * the day on the scenario's clock replays count N times {@code scale}, rounded stochastically, as
     * that many arrivals placed uniformly at random within the minute, as sim mode does. An interval
     * that starts or ends inside a minute keeps the arrivals that fall in it.
     */
    record Trace(int[] countsPerMinuteOfDay, double scale) implements Shape {
        public Trace {
            if (countsPerMinuteOfDay.length != MINUTES_PER_DAY) throw new IllegalArgumentException("need 1440 per-minute counts");
            countsPerMinuteOfDay = countsPerMinuteOfDay.clone();
        }

        public double rate(long t) { return countsPerMinuteOfDay[minuteOfDay(t)] * scale / 60; }

        public double peak() {
            int max = 0;
            for (int c : countsPerMinuteOfDay) max = Math.max(max, c);
            return max * scale / 60;
        }

        /** Arrivals expected in [from, to) (before {@code times}' own scale): each minute's count times the share of it inside. */
        double expected(long from, long to) {
            double sum = 0;
            for (long m = Math.floorDiv(from, MINUTE_MS) * MINUTE_MS; m < to; m += MINUTE_MS) {
                long inside = Math.min(to, m + MINUTE_MS) - Math.max(from, m);
                sum += countsPerMinuteOfDay[minuteOfDay(m)] * scale * inside / (double) MINUTE_MS;
            }
            return sum;
        }

        static int minuteOfDay(long epochMillis) { return (int) (Math.floorMod(epochMillis, DAY_MS) / MINUTE_MS); }
    }

    static final long MINUTE_MS = 60_000L;
    static final long DAY_MS = 86_400_000L;
    static final int MINUTES_PER_DAY = 1440;

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
            case Trace tr -> {
                for (long m = Math.floorDiv(from, MINUTE_MS) * MINUTE_MS; m < to; m += MINUTE_MS) {
                    double expected = tr.countsPerMinuteOfDay()[Trace.minuteOfDay(m)] * tr.scale() * scale;
                    int k = (int) Math.floor(expected);
                    if (rnd.nextDouble() < expected - k) k++;
                    long[] batch = new long[k];
                    int kept = 0;
                    for (int i = 0; i < k; i++) {
                        long a = m + (long) (rnd.nextDouble() * MINUTE_MS);
                        if (a >= from && a < to) batch[kept++] = a;
                    }
                    Arrays.sort(batch, 0, kept);
                    for (int i = 0; i < kept; i++) out.add(batch[i]);
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
