package dev.wisp.bench.sim;

import java.util.Arrays;

/**
 * The host's CPU as processor sharing. Every running execution demands its function's millicores;
 * while the total demand exceeds the host's capacity, all of them progress at capacity / demand
 * of real time, so a co-located hog stretches everyone's executions (noisy neighbour).
 *
 * <p>Progress is tracked as one virtual work clock {@code v} that advances at the current rate; an
 * execution of {@code w} ns of work started at {@code v0} ends when {@code v} reaches {@code v0 + w}.
 * Executions wait in a heap ordered by that finish, so a change of rate costs O(1) and a start or
 * end O(log n).
 */
final class ProcessorSharing {
    /** Rounding slack when comparing work clocks, in ns. */
    private static final double SLACK = 1.0;

    private final double capacity;
    private double demand;
    /** Demand from outside the heap (the noisy neighbour's hog). */
    private double extraDemand;
    private double rate = 1;
    private double v;
    private long lastT;
    private SimInstance[] heap = new SimInstance[256];
    private int size;
    private long nextCompletion = Long.MAX_VALUE;

    ProcessorSharing(double capacityMillicores) {
        this.capacity = capacityMillicores;
    }

    /** The share of real time executions progress at now (1 unless the host is overloaded). */
    double rate() { return rate; }

    /** The work clock at time {@code t}. */
    double workClock(long t) {
        advance(t);
        return v;
    }

    private void advance(long t) {
        if (t > lastT) {
            v += rate * (t - lastT);
            lastT = t;
        }
    }

    /** When the first running execution finishes at the current rate; MAX_VALUE when none runs. */
    long nextCompletion() { return nextCompletion; }

    void start(SimInstance e, long t, double workNanos) {
        advance(t);
        e.finishV = v + workNanos;
        e.startV = v;
        e.accountedV = v;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        e.heapIndex = size;
        heap[size++] = e;
        up(e.heapIndex);
        demand += e.cpu;
        recompute();
    }

    /** Takes an execution out before it finished (its instance was killed). */
    void remove(SimInstance e, long t) {
        if (e.heapIndex < 0) return;
        advance(t);
        int i = e.heapIndex;
        SimInstance last = heap[--size];
        heap[size] = null;
        e.heapIndex = -1;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            down(i);
            up(last.heapIndex);
        }
        demand -= e.cpu;
        recompute();
    }

    /** Takes the next finished execution at time {@code t}, or null when none has finished. */
    SimInstance pollFinished(long t) {
        advance(t);
        if (size == 0 || heap[0].finishV > v + SLACK) return null;
        SimInstance e = heap[0];
        remove(e, t);
        return e;
    }

    void addExtraDemand(double millicores, long t) {
        advance(t);
        extraDemand += millicores;
        recompute();
    }

    private void recompute() {
        if (size == 0) demand = 0; // drop floating-point residue
        double total = demand + extraDemand;
        rate = total <= capacity ? 1 : capacity / total;
        nextCompletion = size == 0 ? Long.MAX_VALUE
                : lastT + (long) Math.ceil(Math.max(0, heap[0].finishV - v) / rate);
    }

    private void up(int i) {
        SimInstance e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (heap[p].finishV <= e.finishV) break;
            heap[i] = heap[p];
            heap[i].heapIndex = i;
            i = p;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void down(int i) {
        SimInstance e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            if (c + 1 < size && heap[c + 1].finishV < heap[c].finishV) c++;
            if (heap[c].finishV >= e.finishV) break;
            heap[i] = heap[c];
            heap[i].heapIndex = i;
            i = c;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
