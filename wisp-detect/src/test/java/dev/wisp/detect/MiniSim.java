package dev.wisp.detect;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A tiny hand-built platform on a virtual clock for tests: one host, functions with a warm pool,
 * cold starts, a cap and a FIFO queue; emits invocation records at completion, per-second
 * concurrency and resource samples and instance-created events, in time order, then ticks.
 */
final class MiniSim {

    /** A traffic stream: rate (per second) as a function of epoch millis. */
    interface Rate { double at(long t); }

    static final class Fn {
        final String name;
        int memoryMb = 512;
        double execMedianMs = 100, execSigma = 0.3;
        double initMs = 1000;
        int cap = 40;
        long keepAliveMs = 600_000;
        double cpuMillicores = 100;
        final List<Stream> streams = new ArrayList<>();
        /** Error probability and added latency as functions of time. */
        Rate errorRate = t -> 0;
        Rate addedLatencyMs = t -> 0;
        final List<long[]> instances = new ArrayList<>(); // {readyAt, busyUntil, lastUsed}

        Fn(String name) { this.name = name; }

        Fn stream(String source, Trigger trigger, Rate rate) {
            streams.add(new Stream(source, trigger, rate));
            return this;
        }
    }

    record Stream(String source, Trigger trigger, Rate rate) {}

    private final Random rnd;
    private final List<Fn> fns = new ArrayList<>();
    private final PriorityQueue<InvocationRecord> pending = new PriorityQueue<>(Comparator.comparingLong(InvocationRecord::completedAt));
    private final List<Object> out = new ArrayList<>();
    long records;
    double hostBackground = 200;
    Rate hostExtra = t -> 0;

    MiniSim(long seed) { this.rnd = new Random(seed); }

    Fn add(Fn f) { fns.add(f); return f; }

    /** Runs seconds [from, to) feeding {@code sink} and ticking {@code tick} at the end of each second. */
    void run(long fromMs, long toMs, Consumer<Object> sink, java.util.function.LongConsumer tick) {
        for (long s0 = fromMs; s0 < toMs; s0 += 1000) {
            final long s = s0;
            out.clear();
            double hostCpu = hostBackground + hostExtra.at(s);
            for (Fn f : fns) {
                // arrivals of this second
                List<long[]> arr = new ArrayList<>();
                for (int si = 0; si < f.streams.size(); si++) {
                    double lam = Math.max(0, f.streams.get(si).rate.at(s));
                    int n = poisson(lam);
                    for (int i = 0; i < n; i++) arr.add(new long[] {s + rnd.nextInt(1000), si});
                }
                arr.sort(Comparator.comparingLong(a -> a[0]));
                // expire idle instances
                f.instances.removeIf(in -> in[1] <= s && s - in[2] > f.keepAliveMs);
                for (long[] a : arr) dispatch(f, a[0], f.streams.get((int) a[1]));
                // samples at the start of the second
                int queued = 0, busy = 0, init = 0, idle = 0;
                for (InvocationRecord r : pending) {
                    if (!r.functionName().equals(f.name)) continue;
                    if (r.receivedAt() > s) continue;
                    if (r.execStartAt() > s) queued++;
                    else busy++;
                }
                for (long[] in : f.instances) {
                    if (in[0] > s) init++;
                    else if (in[1] <= s) idle++;
                }
                out.add(new PlatformEvent.ConcurrencySample(s, "t1", f.name, queued, busy, f.instances.size()));
                out.add(new ResourceSample(s, ResourceSample.Scope.FUNCTION, "t1", f.name, null, 0, 0, idle, Math.max(0, f.instances.size() - idle - init), init));
                double fnCpu = busy * f.cpuMillicores + idle * 5;
                out.add(new ResourceSample(s, ResourceSample.Scope.INSTANCE, "t1", f.name, "i-" + f.name, fnCpu, 0, 0, 0, 0));
                hostCpu += fnCpu;
            }
            out.add(new ResourceSample(s, ResourceSample.Scope.HOST, null, null, null, hostCpu + rnd.nextGaussian() * 20, 1L << 30, 0, 0, 0));
            while (!pending.isEmpty() && pending.peek().completedAt() < s + 1000) out.add(pending.poll());
            out.sort(Comparator.comparingLong(MiniSim::time));
            for (Object o : out) sink.accept(o);
            tick.accept(s + 1000);
        }
    }

    private void dispatch(Fn f, long a, Stream st) {
        long[] chosen = null;
        for (long[] in : f.instances) if (in[1] <= a && in[0] <= a) { chosen = in; break; }
        boolean cold = false;
        long start;
        if (chosen != null) {
            start = a;
        } else if (f.instances.size() < f.cap) {
            long init = (long) Math.max(1, f.initMs * (0.95 + 0.1 * rnd.nextDouble()));
            chosen = new long[] {a + init, a + init, a};
            f.instances.add(chosen);
            cold = true;
            start = a + init;
            out.add(new PlatformEvent.InstanceEvent(a, "t1", f.name, "i-" + records, PlatformEvent.InstanceTransition.CREATED, "cold-start"));
            out.add(new PlatformEvent.SchedulerDecision(a, "t1", f.name, "cold-start", "queued=1 starting=1"));
        } else {
            chosen = f.instances.get(0);
            for (long[] in : f.instances) if (in[1] < chosen[1]) chosen = in;
            start = Math.max(a, chosen[1]);
        }
        double exec = f.execMedianMs * Math.exp(f.execSigma * rnd.nextGaussian()) + f.addedLatencyMs.at(a);
        boolean fail = rnd.nextDouble() < f.errorRate.at(a);
        long end = start + (long) Math.ceil(exec);
        chosen[1] = end;
        chosen[2] = end;
        long billed = (long) Math.ceil(exec);
        double gbs = InvocationRecord.gbSeconds(f.memoryMb, billed);
        long dispatched = cold ? a : start;
        records++;
        pending.add(new InvocationRecord("r-" + records, "t1", f.name, "1", st.trigger(), st.source(), null, "here",
                a, dispatched, cold ? a : 0, cold ? start : 0, start, end, end, dispatched - a + (cold ? 0 : 0),
                cold ? start - a : 0, exec, billed, f.memoryMb, f.memoryMb / 2, cold, "i", fail ? InvocationStatus.ERROR : InvocationStatus.SUCCESS,
                fail ? "DependencyUnavailable" : null, 100, 100, gbs, gbs * 0.0000166667, null, null, null));
    }

    static long time(Object o) {
        return switch (o) {
            case InvocationRecord r -> r.completedAt();
            case PlatformEvent e -> e.timestamp();
            case ResourceSample s -> s.timestamp();
            default -> 0;
        };
    }

    private int poisson(double lam) {
        if (lam <= 0) return 0;
        if (lam > 50) return (int) Math.max(0, Math.round(lam + Math.sqrt(lam) * rnd.nextGaussian()));
        double l = Math.exp(-lam), p = 1;
        int k = 0;
        do { k++; p *= rnd.nextDouble(); } while (p > l);
        return k - 1;
    }
}
