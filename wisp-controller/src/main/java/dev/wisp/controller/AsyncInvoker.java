package dev.wisp.controller;

import dev.wisp.common.Clock;
import dev.wisp.common.Scheduler;
import dev.wisp.common.WispException;
import dev.wisp.controller.registry.Database;
import dev.wisp.controller.registry.JsonColumns;
import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.invoker.InvocationOutcome;
import dev.wisp.telemetry.model.TraceContext;
import dev.wisp.telemetry.model.Trigger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event (asynchronous) invocations. An accepted event is written to the database before the caller
 * gets its 202, so it survives a restart; it is then run, retried twice with backoff when it fails
 * or is throttled, and kept as a dead letter after that, listable and replayable.
 */
public final class AsyncInvoker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncInvoker.class);
    public static final int MAX_RETRIES = 2;
    /** Lambda keeps retrying a throttled event for up to six hours. */
    public static final long MAX_EVENT_AGE_MS = 6 * 3600_000L;
    static final long MAX_THROTTLE_BACKOFF_MS = 60_000L;

    private final Database db;
    private final FunctionRegistry registry;
    private final Dispatcher dispatcher;
    private final Scheduler scheduler;
    /** Told of every retry scheduled (a metric: a retry storm shows there first). */
    private final Runnable retried;
    private final Clock clock;
    private final long backoffMillis;
    private final Map<String, Integer> throttleStreak = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The durable part of an event: where it goes and how often it has been tried. */
    public record EventTarget(String tenant, String functionName, String qualifier, String sourceId, int attempts,
                              String lastError, String traceId, String parentSpanId) {

        EventTarget next(int attempts, String lastError) {
            return new EventTarget(tenant, functionName, qualifier, sourceId, attempts, lastError, traceId, parentSpanId);
        }
    }

    /** A dead letter as listed to operators. */
    public record DeadLetter(String id, EventTarget target, long created, int payloadBytes) {}

    public AsyncInvoker(Database db, FunctionRegistry registry, Dispatcher dispatcher, Scheduler scheduler, Clock clock,
                        long backoffMillis, Runnable retried) {
        this.retried = retried;
        this.db = db;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.clock = clock;
        this.backoffMillis = backoffMillis;
    }

    /** Re-queues events accepted before the last shutdown. */
    public int recover() {
        List<String> pending = db.query("SELECT id FROM async_events WHERE state = 'pending' ORDER BY created", rs -> rs.getString(1));
        pending.forEach(id -> scheduler.schedule(0, () -> run(id)));
        return pending.size();
    }

    /** Persists and schedules one event; returns its request id. */
    public String submit(String requestId, EventTarget target, byte[] payload) {
        db.update("INSERT INTO async_events VALUES (?, ?, ?, ?, 'pending', ?)", requestId, target.tenant(),
                write(target), payload, clock.wallMillis());
        scheduler.schedule(0, () -> run(requestId));
        return requestId;
    }

    private void run(String id) {
        if (closed) return;
        Thread.ofVirtual().name("event-" + id).start(() -> attempt(id));
    }

    private void attempt(String id) {
        List<Object[]> rows = db.query("SELECT config, payload FROM async_events WHERE id = ? AND state = 'pending'",
                rs -> new Object[] {rs.getString(1), rs.getBytes(2)}, id);
        if (rows.isEmpty()) return;
        EventTarget target = read((String) rows.getFirst()[0]);
        byte[] payload = (byte[]) rows.getFirst()[1];
        String attemptId = target.attempts() == 0 ? id : id + "-retry" + target.attempts();
        CompletableFuture<Completed> result;
        try {
            FunctionConfig f = registry.resolve(target.tenant(), target.functionName(), target.qualifier());
            InvocationContext ctx = new InvocationContext(target.tenant(), attemptId, Trigger.EVENT, target.sourceId(), null,
                    TraceContext.within(target.traceId(), target.parentSpanId()), null, clock.monoNanos(), clock.wallMillis());
            result = dispatcher.invoke(f, ctx, payload);
        } catch (WispException e) {
            if (e.code() == dev.wisp.common.ErrorCode.TOO_MANY_REQUESTS) {
                throttled(id, target, e.extra().getOrDefault("Reason", "throttled").toString());
            } else {
                failed(id, target, e.code().awsType() + ": " + e.getMessage());
            }
            return;
        }
        // the result completes on whichever thread settled the invocation (the Runtime API's, which
        // must not block); the database writes below run on a thread of their own
        result.whenCompleteAsync((c, error) -> {
            if (error != null) {
                failed(id, target, String.valueOf(error));
            } else if (c.result().outcome() instanceof InvocationOutcome.Success) {
                throttleStreak.remove(id);
                db.update("DELETE FROM async_events WHERE id = ?", id);
            } else {
                failed(id, target, c.record().status().wireName() + ": " + c.record().errorType());
            }
        }, task -> Thread.ofVirtual().name("async-settle").start(task));
    }

    /**
     * Throttled events do not spend their retry budget (as in Lambda): they wait and try again,
     * backing off up to {@link #MAX_THROTTLE_BACKOFF_MS}, until they are {@link #MAX_EVENT_AGE_MS} old.
     */
    private void throttled(String id, EventTarget t, String reason) {
        List<Long> created = db.query("SELECT created FROM async_events WHERE id = ?", rs -> rs.getLong(1), id);
        long age = created.isEmpty() ? 0 : clock.wallMillis() - created.getFirst();
        if (age > MAX_EVENT_AGE_MS) {
            failed(id, t.next(MAX_RETRIES, t.lastError()),
                    "throttled until the maximum event age: " + reason);
            return;
        }
        int streak = throttleStreak.merge(id, 1, Integer::sum);
        long delay = Math.min(MAX_THROTTLE_BACKOFF_MS, backoffMillis << Math.min(20, streak - 1));
        scheduler.schedule(delay, () -> run(id));
    }

    private void failed(String id, EventTarget t, String error) {
        throttleStreak.remove(id);
        EventTarget next = t.next(t.attempts() + 1, error);
        if (next.attempts() > MAX_RETRIES) {
            db.update("UPDATE async_events SET config = ?, state = 'dead' WHERE id = ?", write(next), id);
            LOG.info("event {} for {} is a dead letter after {} attempts: {}", id, t.functionName(), next.attempts(), error);
            return;
        }
        db.update("UPDATE async_events SET config = ? WHERE id = ?", write(next), id);
        retried.run();
        long delay = backoffMillis << (next.attempts() - 1);
        scheduler.schedule(delay, () -> run(id));
    }

    public List<DeadLetter> deadLetters(String tenant) {
        return db.query("SELECT id, config, created, LENGTH(payload) FROM async_events WHERE tenant = ? AND state = 'dead' ORDER BY created",
                rs -> new DeadLetter(rs.getString(1), read(rs.getString(2)), rs.getLong(3), rs.getInt(4)), tenant);
    }

    /** Puts a dead letter back in the queue with a fresh retry budget. */
    public void replay(String tenant, String id) {
        List<String> rows = db.query("SELECT config FROM async_events WHERE id = ? AND tenant = ? AND state = 'dead'",
                rs -> rs.getString(1), id, tenant);
        if (rows.isEmpty()) throw WispException.notFound("Dead letter not found: " + id);
        EventTarget t = read(rows.getFirst());
        db.update("UPDATE async_events SET config = ?, state = 'pending' WHERE id = ?",
                write(t.next(0, t.lastError())), id);
        run(id);
    }

    public int deadLetterCount() {
        return db.query("SELECT COUNT(*) FROM async_events WHERE state = 'dead'", rs -> rs.getInt(1)).getFirst();
    }

    public int pending() {
        return db.query("SELECT COUNT(*) FROM async_events WHERE state = 'pending'", rs -> rs.getInt(1)).getFirst();
    }

    private static String write(EventTarget t) { return JsonColumns.write(t); }

    private static EventTarget read(String s) { return JsonColumns.read(s, EventTarget.class); }

    @Override
    public void close() { closed = true; }

}
