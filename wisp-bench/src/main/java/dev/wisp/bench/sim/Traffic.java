package dev.wisp.bench.sim;

import dev.wisp.bench.scenario.DailyShape;
import dev.wisp.bench.scenario.Pattern;
import dev.wisp.telemetry.model.Trigger;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One stream of arrivals over [from, to) of virtual time, drawn lazily: the stream is a single
 * event that fires at its next arrival and reschedules itself, so a week of traffic never sits in
 * memory. Each stream has its own generator, so adding a stream does not change the others.
 */
final class Traffic extends Event {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long DAY_MS = 86_400_000L;

    private final SimPlatform platform;
    private final SimFunction fn;
    private final Trigger trigger;
    private final String[] sources;
    private final SplittableRandom random;
    private final Pattern pattern;
    private final long from;
    private final long to;
    /** Wall-clock epoch ms at virtual time 0. */
    private final long originMillis;
    /** A failure rate forced on these calls (retry storm), or NaN. */
    double forcedErrorRate = Double.NaN;

    // pattern state
    private DailyShape diurnalShape;
    private long burstEnd = Long.MIN_VALUE;
    private int[] traceCounts;
    private long traceTotal;
    private long[] batch = new long[0];
    private int batchIndex;
    private long traceMinute = Long.MIN_VALUE;

    Traffic(SimPlatform platform, SimFunction fn, Trigger trigger, List<String> sources, SplittableRandom random,
            Pattern pattern, long from, long to, long originMillis) {
        this.platform = platform;
        this.fn = fn;
        this.trigger = trigger;
        this.sources = sources.toArray(String[]::new);
        this.random = random;
        this.pattern = pattern;
        this.from = from;
        this.to = to;
        this.originMillis = originMillis;
        if (pattern instanceof Pattern.Diurnal d) diurnalShape = new DailyShape(d);
    }

    /** Per-minute counts of a trace pattern, minute 0 being 00:00 UTC. */
    Traffic withTraceCounts(int[] countsPerMinuteOfDay) {
        this.traceCounts = countsPerMinuteOfDay;
        long total = 0;
        for (int c : countsPerMinuteOfDay) total += c;
        this.traceTotal = total;
        return this;
    }

    /** Schedules the first arrival, if the stream has any. */
    void begin() {
        if (to <= from) return;
        long first = next(from, true);
        if (first < to) platform.scheduler.at(first, this);
    }

    @Override
    void fire() {
        String source = sources.length == 1 ? sources[0] : sources[random.nextInt(sources.length)];
        Call c = platform.newCall(fn, trigger, source, random);
        c.forcedErrorRate = forcedErrorRate;
        platform.arrive(c);
        long n = next(at, false);
        if (n < to) platform.scheduler.at(n, this);
    }

    private long exp(double ratePerSecond) {
        return (long) (-Math.log(1 - random.nextDouble()) / ratePerSecond * SECOND) + 1;
    }

    /** The arrival after {@code t} ({@code first}: at or after {@code t}); MAX_VALUE when there is none. */
    private long next(long t, boolean first) {
        return switch (pattern) {
            case Pattern.Poisson p -> p.ratePerSecond() <= 0 ? Long.MAX_VALUE : t + exp(p.ratePerSecond());
            case Pattern.Constant c -> {
                if (c.ratePerSecond() <= 0) yield Long.MAX_VALUE;
                long gap = Math.max(1, (long) (SECOND / c.ratePerSecond()));
                yield first ? t + (long) (random.nextDouble() * gap) : t + gap;
            }
            case Pattern.Diurnal d -> nextDiurnal(d, t);
            case Pattern.Sporadic s -> nextSporadic(s, t);
            case Pattern.Schedule s -> {
                long every = Math.max(1, Math.round(s.everySeconds() * 1000));
                long wall = originMillis + Math.floorDiv(t, 1_000_000L);
                long nextWall = first ? Math.floorDiv(wall + every - 1, every) * every : Math.floorDiv(wall, every) * every + every;
                yield (nextWall - originMillis) * 1_000_000L;
            }
            case Pattern.Trace tr -> nextTrace(tr, t);
        };
    }

    // ---- diurnal: a non-homogeneous Poisson process by thinning ----

    private double diurnalRate(long t) { return diurnalShape.rate(originMillis + t / 1_000_000L); }

    private long nextDiurnal(Pattern.Diurnal d, long t) {
        double peak = diurnalShape.peakRate();
        if (peak <= 0) return Long.MAX_VALUE;
        while (true) {
            t += exp(peak);
            if (t >= to) return Long.MAX_VALUE;
            if (random.nextDouble() * peak < diurnalRate(t)) return t;
        }
    }

    // ---- sporadic: bursts that start as a Poisson process ----

    private long nextSporadic(Pattern.Sporadic s, long t) {
        if (s.burstsPerHour() <= 0 || s.burstRatePerSecond() <= 0) return Long.MAX_VALUE;
        if (t < burstEnd) {
            long n = t + exp(s.burstRatePerSecond());
            if (n < burstEnd) return n;
        }
        long cursor = Math.max(t, burstEnd);
        while (cursor < to) {
            long start = cursor + exp(s.burstsPerHour() / 3600.0);
            burstEnd = start + (long) (s.burstSeconds() * SECOND);
            long n = start + exp(s.burstRatePerSecond());
            if (n < burstEnd) return n;
            cursor = burstEnd;
        }
        return Long.MAX_VALUE;
    }

    // ---- trace: each minute's count spread uniformly over the minute ----

    private long nextTrace(Pattern.Trace tr, long t) {
        if (traceCounts == null) return Long.MAX_VALUE;
        if (batchIndex < batch.length) return batch[batchIndex++];
        if (traceTotal == 0 || tr.scale() <= 0) return Long.MAX_VALUE;
        // minutes on the wall clock: minute N of the day replays column N
        long minuteStartWall = traceMinute == Long.MIN_VALUE
                ? Math.floorDiv(originMillis + Math.floorDiv(t, 1_000_000L), 60_000L) * 60_000L
                : traceMinute + 60_000L;
        while (true) {
            long startNanos = (minuteStartWall - originMillis) * 1_000_000L;
            if (startNanos >= to) return Long.MAX_VALUE;
            traceMinute = minuteStartWall;
            int minuteOfDay = (int) (Math.floorMod(minuteStartWall, DAY_MS) / 60_000L);
            double expected = traceCounts[minuteOfDay] * tr.scale();
            int k = (int) Math.floor(expected);
            if (random.nextDouble() < expected - k) k++;
            if (k > 0) {
                // placed over the whole minute; a stream that starts inside the minute keeps only the
                // arrivals after its start, so a partial minute replays its share of the count
                long[] b = new long[k];
                int kept = 0;
                for (int i = 0; i < k; i++) {
                    long a = startNanos + (long) (random.nextDouble() * MINUTE);
                    if (a >= t) b[kept++] = a;
                }
                if (kept > 0) {
                    if (kept < k) b = Arrays.copyOf(b, kept);
                    Arrays.sort(b);
                    batch = b;
                    batchIndex = 1;
                    return b[0];
                }
            }
            minuteStartWall += 60_000L;
        }
    }
}
