package dev.wisp.invoker.process;

import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.RuntimeKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The prewarm pool: generic runtime processes ("stem cells", as OpenWhisk calls its prewarmed
 * containers) already started in their sandbox and waiting for a function. A cold start takes one
 * and only has to mount the code and load the handler; each use starts a replacement in the
 * background. Java stem cells are kept per memory size, because the heap is fixed at JVM start;
 * Python and Node ones fit any size (the cgroup limit is set on specialisation). A custom
 * (`provided`) runtime is the function's own binary, so its stem cell is a prepared sandbox (with
 * its cgroup, whose join alone costs ~6 ms on cgroup v1) that starts the bootstrap on specialisation;
 * only the native sandbox can do that.
 */
final class StemCells implements AutoCloseable {
    /** Generic memory limit of a Python or Node stem cell until it is specialised. */
    private static final int GENERIC_MEMORY_MB = 1024;

    /** What a stem cell is generic over. */
    record Key(RuntimeKind kind, int memoryMb) {
        /** @param customRuntimes whether the sandbox can hold a custom runtime's start until specialisation */
        static Key of(FunctionSpec spec, boolean customRuntimes) {
            if (!spec.networkAccess()) return null; // stem cells share the host's network
            return switch (spec.runtime()) {
                case PROVIDED -> customRuntimes ? new Key(RuntimeKind.PROVIDED, 0) : null;
                case JAVA -> new Key(RuntimeKind.JAVA, spec.memoryMb());
                case NODEJS, PYTHON -> new Key(spec.runtime(), 0);
            };
        }
    }

    private final ProcessInstanceBackend backend;
    private final int max;
    private final Map<Key, Deque<ProcessInstance>> ready = new HashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private int total;
    private boolean closed;

    StemCells(ProcessInstanceBackend backend, int max) {
        this.backend = backend;
        this.max = max;
    }

    int max() { return max; }

    /** A live stem cell for this key, or null. */
    synchronized ProcessInstance take(Key key) {
        Deque<ProcessInstance> d = ready.get(key);
        while (d != null && !d.isEmpty()) {
            ProcessInstance p = d.pollFirst();
            total--;
            if (!p.exited().isDone()) return p;
        }
        return null;
    }

    /** Keeps one stem cell of this key ready (the pool's total permitting), starting it in the background. */
    void refill(Key key) {
        synchronized (this) {
            if (closed || total >= max || !ready.getOrDefault(key, new ArrayDeque<>()).isEmpty()) return;
            total++;
        }
        Thread.ofVirtual().name("stem-refill").start(() -> {
            ProcessInstance p = backend.launch("s-" + seq.incrementAndGet(), placeholder(key), true);
            boolean keep;
            synchronized (this) {
                keep = !closed && !p.exited().isDone();
                if (keep) ready.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(p);
                else total--;
            }
            if (!keep) {
                p.kill("stem pool closed");
                return;
            }
            p.exited().thenRun(() -> forget(key, p));
        });
    }

    private synchronized void forget(Key key, ProcessInstance p) {
        Deque<ProcessInstance> d = ready.get(key);
        if (d != null && d.remove(p)) total--;
    }

    private static FunctionSpec placeholder(Key key) {
        String runtimeName = switch (key.kind()) {
            case JAVA -> "java21";
            case NODEJS -> "nodejs";
            case PYTHON -> "python3";
            case PROVIDED -> "provided";
        };
        int memory = key.memoryMb() > 0 ? key.memoryMb() : GENERIC_MEMORY_MB;
        return new FunctionSpec("", "stem-cell", "", "", "stem", key.kind(), runtimeName, "", null, memory, 900, Map.of(), 0, true);
    }

    @Override
    public void close() {
        List<ProcessInstance> all;
        synchronized (this) {
            closed = true;
            all = ready.values().stream().flatMap(Deque::stream).toList();
            ready.clear();
        }
        all.forEach(p -> p.kill("shutdown"));
    }

}
