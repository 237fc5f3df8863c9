package dev.wisp.server.watch;

import dev.wisp.common.Clock;
import dev.wisp.common.Scheduler;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Incident;
import dev.wisp.detect.IncidentListener;
import dev.wisp.telemetry.Subscription;
import dev.wisp.telemetry.TelemetryBus;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detection engine on the live telemetry bus. It has a bus subscription of its own (a bounded
 * buffer: the invoke path never waits, a full buffer drops and counts), and the engine is touched
 * only by that subscription's drain thread: telemetry goes in there, and so does time — a tick
 * published on the bus every second makes the drain thread call {@code advanceTo(now)}, which
 * closes buckets and closes quiet incidents even when no telemetry arrives.
 *
 * <p>Incidents get ids unique to the data directory (the engine numbers from 1 on every start), are
 * kept in the {@link IncidentBook}, sent to the sinks and handed to the {@link Mitigator}.
 */
public final class LiveDetection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveDetection.class);
    static final int BUFFER = 131_072;

    /** Time moved on; recognised by identity, so no other subscriber's filter takes it. */
    private record Tick(LiveDetection owner) {}

    private final DetectionEngine engine;
    private final Clock clock;
    private final IncidentBook book;
    private final List<IncidentSink> sinks;
    private final Mitigator mitigator;
    private final Tick tick = new Tick(this);
    private final Subscription subscription;
    private final Scheduler.Cancellable ticker;
    /** Engine id -> book id; drain thread only. */
    private final Map<String, String> ids = new HashMap<>();
    private long advancedTo;
    private final CountDownLatch warmedUp = new CountDownLatch(1);

    /** @param mitigator null: no mitigation at all, not even audited */
    public LiveDetection(TelemetryBus bus, Scheduler scheduler, Clock clock, DetectionEngine engine, IncidentBook book,
                         List<IncidentSink> sinks, Mitigator mitigator) {
        this(bus, scheduler, clock, engine, book, sinks, mitigator, null);
    }

    /**
     * @param warmUp null, or what to run on the engine before it sees live telemetry (a replay of
     *               stored history, {@link DetectionWarmUp}); it runs on its own thread while live
     *               items wait in the subscriber's buffer, so the server need not wait for it
     */
    public LiveDetection(TelemetryBus bus, Scheduler scheduler, Clock clock, DetectionEngine engine, IncidentBook book,
                         List<IncidentSink> sinks, Mitigator mitigator, Consumer<DetectionEngine> warmUp) {
        this.engine = engine;
        this.clock = clock;
        this.book = book;
        this.sinks = List.copyOf(sinks);
        this.mitigator = mitigator;
        this.subscription = bus.subscribe("detection", BUFFER, this::wants, this::onItem);
        this.ticker = scheduler.every(1000, () -> bus.publish(tick));
        if (warmUp == null) {
            engine.addListener(new Bridge());
            warmedUp.countDown();
        } else {
            Thread.ofVirtual().name("detection-warm-up").start(() -> {
                try {
                    warmUp.accept(engine);
                } catch (RuntimeException e) {
                    LOG.warn("detection warm-up failed; detection starts from live telemetry alone", e);
                } finally {
                    // incidents of the replayed past were reported when they happened; one still going on is reported now
                    Bridge bridge = new Bridge();
                    engine.addListener(bridge);
                    for (Incident i : engine.incidents()) if (i.open()) bridge.opened(i);
                    warmedUp.countDown();
                }
            });
        }
    }

    /** Every incident of this data directory, open ones with closedAt 0. Any thread. */
    public List<Incident> incidents() { return book.all(); }

    public Subscription subscription() { return subscription; }

    private boolean wants(Object item) {
        return item == tick || item instanceof InvocationRecord || item instanceof PlatformEvent
                || item instanceof ResourceSample || item instanceof LogLine;
    }

    /** The drain thread: the only caller of the engine once the warm-up is over. */
    private void onItem(Object item) {
        if (warmedUp.getCount() > 0) awaitWarmUp();
        if (item != tick) engine.accept(item);
        // also on items, since a full buffer may have dropped ticks
        long now = clock.wallMillis();
        if (item == tick || now - advancedTo >= 1000) {
            advancedTo = now;
            engine.advanceTo(now);
        }
    }

    private void awaitWarmUp() {
        try {
            warmedUp.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the warm-up (if any) is over and live telemetry reaches the engine. */
    public boolean warmedUp() { return warmedUp.getCount() == 0; }

    private final class Bridge implements IncidentListener {
        @Override
        public void opened(Incident i) {
            String id = book.nextId();
            ids.put(i.id(), id);
            Incident ours = IncidentBook.withId(i, id);
            publish(IncidentSink.Change.OPENED, ours);
            if (mitigator != null) mitigator.opened(ours);
            LOG.warn("incident {} opened: {} on {}/{}: {}", id, i.type(), i.tenant(), i.function(),
                    i.explanation() == null ? "" : i.explanation().lines().findFirst().orElse(""));
        }

        @Override
        public void updated(Incident i) {
            String id = ids.get(i.id());
            if (id != null) publish(IncidentSink.Change.UPDATED, IncidentBook.withId(i, id));
        }

        @Override
        public void closed(Incident i) {
            String id = ids.remove(i.id());
            if (id == null) return;
            Incident ours = IncidentBook.withId(i, id);
            publish(IncidentSink.Change.CLOSED, ours);
            if (mitigator != null) mitigator.closed(ours);
            LOG.info("incident {} closed", id);
        }
    }

    private void publish(IncidentSink.Change change, Incident i) {
        book.record(change, i);
        for (IncidentSink s : sinks) {
            try {
                s.send(change, i);
            } catch (RuntimeException e) {
                LOG.warn("incident sink {} failed: {}", s.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** Stops ticking, lets the drain thread finish what is buffered, then closes the sinks and the book. */
    @Override
    public void close() {
        ticker.cancel();
        subscription.close();
        for (IncidentSink s : sinks) s.close();
        book.close();
    }
}
