package dev.wisp.bench.sim;

import dev.wisp.common.ManualClock;
import dev.wisp.common.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulation's time: a {@link Scheduler} on a {@link ManualClock} that only moves when the next
 * event is taken. Events live in a binary heap, except one-shot tasks scheduled through the
 * {@link Scheduler} interface: those go to a FIFO lane per delay. The pool schedules a timeout per
 * invocation with the same delay and cancels almost all of them, so lanes make that O(1) instead of
 * a heap full of dead timers.
 */
final class VirtualScheduler implements Scheduler {
    private final ManualClock clock;
    private long now;
    private long seq;
    private Event[] heap = new Event[1024];
    private int size;
    private final Map<Long, Lane> lanesByDelay = new HashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    /** Where {@link #peek()} found the next event: -1 the heap, else a lane index. */
    private int nextFrom;

    private static final class Lane {
        final ArrayDeque<Event> events = new ArrayDeque<>();
    }

    VirtualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    /** Virtual nanoseconds since the start. */
    long now() { return now; }

    /** Moves the clock forward (never back) to {@code t}. */
    void advanceTo(long t) {
        if (t > now) {
            clock.advanceNanos(t - now);
            now = t;
        }
    }

    /** Schedules {@code e} at absolute virtual time {@code t} (not before now). */
    void at(long t, Event e) {
        e.at = Math.max(t, now);
        e.seq = seq++;
        e.cancelled = false;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Event p = heap[parent];
            if (!before(e, p)) break;
            heap[i] = p;
            i = parent;
        }
        heap[i] = e;
    }

    private static boolean before(Event a, Event b) {
        return a.at < b.at || (a.at == b.at && a.seq < b.seq);
    }

    private Event pollHeap() {
        Event top = heap[0];
        Event last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && before(heap[right], heap[child])) child = right;
                if (!before(heap[child], last)) break;
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
        }
        return top;
    }

    /** The next live event, without taking it; null when none is left. */
    Event peek() {
        while (size > 0 && heap[0].cancelled) pollHeap();
        Event best = size > 0 ? heap[0] : null;
        nextFrom = -1;
        for (int i = 0; i < lanes.size(); i++) {
            ArrayDeque<Event> q = lanes.get(i).events;
            Event h;
            while ((h = q.peekFirst()) != null && h.cancelled) q.pollFirst();
            if (h != null && (best == null || before(h, best))) {
                best = h;
                nextFrom = i;
            }
        }
        return best;
    }

    /** Takes the event {@link #peek()} returned. */
    void take() {
        if (nextFrom < 0) pollHeap();
        else lanes.get(nextFrom).events.pollFirst();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        long delay = Math.max(0, delayMillis);
        Event e = new Event.Task(task);
        e.at = now + delay * 1_000_000L;
        e.seq = seq++;
        Lane lane = lanesByDelay.get(delay);
        if (lane == null) {
            lane = new Lane();
            lanesByDelay.put(delay, lane);
            lanes.add(lane);
        }
        lane.events.addLast(e);
        return e;
    }

    @Override
    public Cancellable every(long periodMillis, Runnable task) {
        long period = Math.max(1, periodMillis) * 1_000_000L;
        Event e = new Event() {
            @Override
            void fire() {
                task.run();
                if (!cancelled) at(at + period, this);
            }
        };
        at(now + period, e);
        return e;
    }
}
