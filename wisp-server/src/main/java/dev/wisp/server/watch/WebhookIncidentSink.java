package dev.wisp.server.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wisp.detect.Incident;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a JSON object per incident opened or closed to a URL (updates are not sent: they would
 * flood a chat channel). Each delivery runs on its own virtual thread with a few retries and backoff,
 * so detection never waits on the receiver; at most {@link #MAX_IN_FLIGHT} deliveries are pending,
 * beyond that they are dropped and counted.
 */
public final class WebhookIncidentSink implements IncidentSink {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIncidentSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_IN_FLIGHT = 64;
    private static final int ATTEMPTS = 4;

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final long firstBackoffMillis;

    public WebhookIncidentSink(URI url) { this(url, 1000); }

    WebhookIncidentSink(URI url, long firstBackoffMillis) {
        this.url = url;
        this.firstBackoffMillis = firstBackoffMillis;
    }

    public long delivered() { return delivered.get(); }

    /** Deliveries given up on: retries exhausted, or dropped because too many were pending. */
    public long failed() { return failed.get(); }

    @Override
    public void send(Change change, Incident incident) {
        if (change == Change.UPDATED) return;
        if (!inFlight.tryAcquire()) {
            failed.incrementAndGet();
            return;
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(IncidentLines.of(change, incident));
        } catch (IOException e) {
            inFlight.release();
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("incident-webhook").start(() -> {
            try {
                deliver(body, incident.id());
            } finally {
                inFlight.release();
            }
        });
    }

    private void deliver(byte[] body, String id) {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long backoff = firstBackoffMillis;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 300) {
                    delivered.incrementAndGet();
                    return;
                }
                // a client error will not get better by retrying
                if (status < 500 && status != 429) break;
            } catch (IOException e) {
                if (attempt == ATTEMPTS) LOG.warn("incident webhook {} for {} failed: {}", url, id, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (attempt < ATTEMPTS) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff *= 2;
            }
        }
        failed.incrementAndGet();
    }
}
