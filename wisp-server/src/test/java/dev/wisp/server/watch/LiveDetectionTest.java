package dev.wisp.server.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.wisp.common.ManualClock;
import dev.wisp.common.Scheduler;
import dev.wisp.common.SystemScheduler;
import dev.wisp.detect.DetectionConfig;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Incident;
import dev.wisp.detect.IncidentType;
import dev.wisp.telemetry.TelemetryBus;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.Trigger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection live on a real bus: an hour of steady traffic to learn from, then a flood from one
 * source. The webhook (a real HTTP server on loopback, which fails its first delivery to exercise
 * the retry) must receive the opened incident; the journal must keep it across a restart; and the
 * dry-run mitigation must be audited on the bus.
 */
class LiveDetectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HISTORY_MS = 65 * 60_000L;

    @TempDir Path dir;

    @Test
    void aFloodFromOneSourceOpensAnIncidentThatReachesTheWebhookAndIsAudited() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        AtomicInteger posts = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean fail = posts.incrementAndGet() == 1; // the first delivery fails: the sink must retry
            if (!fail) received.add(JSON.readTree(body));
            ex.sendResponseHeaders(fail ? 503 : 204, -1);
            ex.close();
        });
        receiver.start();
        long start = Instant.parse("2026-03-03T09:00:00Z").toEpochMilli();
        long burst = start + HISTORY_MS;
        ManualClock clock = new ManualClock(start);
        List<PlatformEvent.MitigationAction> audited = new CopyOnWriteArrayList<>();
        Path journal = dir.resolve("incidents.jsonl");
        Path siem = dir.resolve("siem").resolve("incidents.jsonl");
        AtomicLong ticks = new AtomicLong();
        String[] seen = new String[1];
        try (TelemetryBus bus = new TelemetryBus(); SystemScheduler timers = new SystemScheduler()) {
            // real one-second ticks, counted (before they are published) so the test knows what the drain thread has seen
            Scheduler scheduler = new Scheduler() {
                @Override public Cancellable schedule(long delay, Runnable task) { return timers.schedule(delay, task); }

                @Override public Cancellable every(long period, Runnable task) {
                    return timers.every(period, () -> { ticks.incrementAndGet(); task.run(); });
                }
            };
            bus.subscribe("audit", 1024, x -> x instanceof PlatformEvent.MitigationAction,
                    x -> audited.add((PlatformEvent.MitigationAction) x));
            URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            DetectionEngine engine = new DetectionEngine(DetectionConfig.defaults());
            LiveDetection live = new LiveDetection(bus, scheduler, clock, engine,
                    IncidentBook.open(journal, clock.wallMillis()),
                    List.of(new JsonLinesIncidentSink(siem), new WebhookIncidentSink(hook, 50)),
                    new Mitigator(MitigationPolicy.defaults(), null, bus::publish, clock));
            try {
                Random rnd = new Random(1);
                long published = 0;
                for (long s = start; s < burst; s += 1000) published += second(bus, rnd, s, 3, 0);
                for (long s = burst; s < burst + 5000; s += 1000) published += second(bus, rnd, s, 3, 150);
                // the engine takes time from the clock as well as from the items: move the clock on only once
                // it has every item, then the ticks close the flood's seconds
                long all = published;
                await(() -> live.subscription().delivered() >= all + ticks.get(), "detection did not take the telemetry in");
                clock.advanceMillis(HISTORY_MS + 8000);

                await(() -> received.stream().anyMatch(n -> n.path("event").asText().equals("opened")), () -> "the webhook got no opened incident; "
                        + "engine: " + engine.incidents() + ", rejected " + engine.rejected() + ", delivered " + live.subscription().delivered()
                        + ", dropped " + live.subscription().dropped() + ", posts " + posts.get() + ", book " + live.incidents());
                JsonNode opened = received.stream().filter(n -> n.path("event").asText().equals("opened")).findFirst().orElseThrow();
                // a flood from a new source reads as a denial of service, or of wallet when it runs up the bill
                IncidentType type = dev.wisp.gateway.IncidentJson.type(opened.path("type").asText());
                assertTrue(type == IncidentType.DOS || type == IncidentType.DOW, opened::toString);
                assertEquals("acme", opened.path("tenant").asText());
                assertEquals("thumbnail", opened.path("function").asText());
                assertEquals("open", opened.path("state").asText());
                assertTrue(opened.path("topSources").toString().contains("attacker-1"), opened::toString);
                assertTrue(Instant.parse(opened.path("openedAt").asText()).toEpochMilli() >= burst, opened::toString);
                assertFalse(opened.path("signals").isEmpty(), opened::toString);
                String id = opened.path("id").asText();
                seen[0] = id;

                MitigationPolicy.Action planned = MitigationPolicy.defaults().actionsFor(dev.wisp.gateway.IncidentJson.fromJson(opened)).getFirst();
                await(() -> !audited.isEmpty(), "no mitigation audited");
                PlatformEvent.MitigationAction a = audited.getFirst();
                assertEquals(planned.kind().wireName, a.action());
                assertEquals(planned.target(), a.target());
                if (type == IncidentType.DOS) assertEquals("attacker-1", a.target(), "the new source is to blame, not the usual caller");
                assertTrue(a.dryRun(), "mitigation is a dry run unless asked for");
                assertTrue(a.reason().contains(id), a.reason());

                assertEquals(id, live.incidents().getFirst().id());
                await(() -> lines(siem).contains("\"id\":\"" + id + "\""), "the SIEM log lacks the incident");
            } finally {
                live.close();
            }
        } finally {
            receiver.stop(0);
        }
        // a restart reloads it; detection starts afresh, so an incident left open is closed now
        try (IncidentBook again = IncidentBook.open(journal, burst + 60_000)) {
            List<Incident> reloaded = again.all();
            assertFalse(reloaded.isEmpty());
            Incident first = reloaded.getFirst();
            assertEquals(seen[0], first.id());
            assertTrue(first.type() == IncidentType.DOS || first.type() == IncidentType.DOW, first::toString);
            assertFalse(first.open());
            assertTrue(again.nextId().compareTo(reloaded.getLast().id()) > 0, "ids are never reused");
        }
    }

    /** One second of traffic: {@code steady} requests from the app, {@code flood} from an attacker, and a concurrency sample. */
    private static int second(TelemetryBus bus, Random rnd, long s, int steady, int flood) {
        for (int i = 0; i < steady + flood; i++) {
            long at = s + rnd.nextInt(900);
            bus.publish(record(at, i < steady ? "app" : "attacker-1"));
        }
        bus.publish(new PlatformEvent.ConcurrencySample(s + 999, "acme", "thumbnail", 0, flood > 0 ? 20 : 1, flood > 0 ? 20 : 2));
        return steady + flood + 1;
    }

    private static InvocationRecord record(long at, String source) {
        double dur = 40;
        long billed = InvocationRecord.billedMillis(dur);
        return new InvocationRecord("r-" + at + "-" + source.hashCode() + "-" + Math.random(), "acme", "thumbnail", "$LATEST",
                Trigger.HTTP, source, null, "local", at, at, 0, 0, at, at + 40, at + 41, 0.5, 0, dur, billed, 256, 80, false,
                "i-1", InvocationStatus.SUCCESS, null, 100, 100, InvocationRecord.gbSeconds(256, billed), 0.0000002, null, null, null);
    }

    private static String lines(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void await(BooleanSupplier cond, String failure) throws InterruptedException {
        await(cond, () -> failure);
    }

    private static void await(BooleanSupplier cond, java.util.function.Supplier<String> failure) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(failure.get());
            Thread.sleep(50);
        }
    }
}
