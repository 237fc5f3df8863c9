package dev.wisp.invoker;

import dev.wisp.invoker.InvocationOutcome.Failure;
import dev.wisp.invoker.InvocationOutcome.FunctionError;
import dev.wisp.invoker.InvocationOutcome.Success;
import dev.wisp.telemetry.model.InvocationStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The simulated backend: instances do nothing on their own; the test completes their
 * {@link Instance#ready()} and {@link Instance#execute} futures by hand.
 */
final class FakeBackend implements InstanceBackend {
    final List<FakeInstance> started = new ArrayList<>();
    boolean closed;

    @Override
    public synchronized Instance start(FunctionSpec spec, String instanceId) {
        FakeInstance i = new FakeInstance(instanceId, spec);
        started.add(i);
        return i;
    }

    synchronized FakeInstance instance(int index) { return started.get(index); }

    synchronized int startedCount() { return started.size(); }

    synchronized List<FakeInstance> startedFor(String functionName) {
        return started.stream().filter(i -> i.spec.functionName().equals(functionName)).toList();
    }

    @Override
    public void close() { closed = true; }

    /**
     * One simulated instance. {@link #kill} makes it exit at once (the exit reason is the kill
     * reason), like a process that dies on SIGKILL; an execution in flight is left for the test to
     * settle, as a real instance's would be settled later by its exit handler.
     */
    static final class FakeInstance implements Instance {
        final String id;
        final FunctionSpec spec;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final CompletableFuture<String> exited = new CompletableFuture<>();
        final List<InvocationRequest> executed = new ArrayList<>();
        final List<Long> deadlines = new ArrayList<>();
        final List<String> kills = new ArrayList<>();
        /** When set, kill() also settles the execution in flight before the exit, as the Instance contract allows. */
        boolean settleInFlightOnKill;
        private CompletableFuture<Execution> inFlight;

        FakeInstance(String id, FunctionSpec spec) {
            this.id = id;
            this.spec = spec;
        }

        @Override public String id() { return id; }

        @Override public FunctionSpec spec() { return spec; }

        @Override public CompletableFuture<Void> ready() { return ready; }

        @Override public CompletableFuture<String> exited() { return exited; }

        @Override public int maxMemoryUsedMb() { return 42; }

        @Override
        public synchronized CompletableFuture<Execution> execute(InvocationRequest request, long deadlineEpochMillis) {
            if (inFlight != null && !inFlight.isDone()) {
                throw new IllegalStateException("instance " + id + " is already busy");
            }
            if (exited.isDone()) {
                return CompletableFuture.completedFuture(new Execution(
                        new Failure(InvocationStatus.CRASH, "Runtime.ExitError", "exited"), ""));
            }
            executed.add(request);
            deadlines.add(deadlineEpochMillis);
            inFlight = new CompletableFuture<>();
            return inFlight;
        }

        @Override
        public void kill(String reason) {
            CompletableFuture<Execution> f;
            synchronized (this) {
                kills.add(reason);
                if (exited.isDone()) return;
                f = settleInFlightOnKill ? takeInFlight() : null;
            }
            if (f != null) {
                f.complete(new Execution(new Failure(InvocationStatus.CRASH, "Runtime.ExitError",
                        "Runtime exited with error: signal: killed"), ""));
            }
            exited.complete(reason);
        }

        boolean killed() { return !kills.isEmpty(); }

        boolean busy() {
            synchronized (this) {
                return inFlight != null && !inFlight.isDone();
            }
        }

        void becomeReady() { ready.complete(null); }

        void failInit(String errorType, String payload) {
            ready.completeExceptionally(new InitFailure(errorType, payload, payload.getBytes(StandardCharsets.UTF_8)));
        }

        void respond(String payload) {
            finish(new Success(payload.getBytes(StandardCharsets.UTF_8)), "log of " + payload);
        }

        void functionError(String errorType, String payload) {
            finish(new FunctionError(payload.getBytes(StandardCharsets.UTF_8), errorType), "");
        }

        void finish(InvocationOutcome outcome, String log) {
            CompletableFuture<Execution> f;
            synchronized (this) {
                f = takeInFlight();
            }
            if (f == null) throw new IllegalStateException("instance " + id + " has nothing in flight");
            f.complete(new Execution(outcome, log));
        }

        private CompletableFuture<Execution> takeInFlight() {
            CompletableFuture<Execution> f = inFlight;
            inFlight = null;
            return f;
        }

        @Override
        public String toString() { return id + "(" + spec.functionName() + ")"; }
    }
}
