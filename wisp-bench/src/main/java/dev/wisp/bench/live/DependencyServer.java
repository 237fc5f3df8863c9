package dev.wisp.bench.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * A downstream HTTP dependency on loopback that synthetic functions call once per invocation
 * ({@code GET /dep/FUNCTION}). Healthy it answers 200 at once; during a dependency-failure
 * injection it fails a share of calls with 503 and delays every call by a sampled latency.
 */
final class DependencyServer implements AutoCloseable {
    /** How the dependency misbehaves for one function: a failure probability and an added latency in ms. */
    record Fault(double errorRate, DoubleSupplier addedLatencyMs) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    DependencyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(executor);
        server.createContext("/dep/", this::handle);
        server.start();
    }

    /** The URL a function's synthetic code calls. */
    String urlFor(String function) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/dep/" + function;
    }

    void fail(String function, Fault fault) { faults.put(function, fault); }

    void heal(String function) { faults.remove(function); }

    long calls() { return calls.get(); }

    long failed() { return failed.get(); }

    private void handle(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        Fault fault = faults.get(path.substring(path.lastIndexOf('/') + 1));
        int status = 200;
        if (fault != null) {
            double delay = Math.max(0, fault.addedLatencyMs().getAsDouble());
            try {
                Thread.sleep((long) delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (ThreadLocalRandom.current().nextDouble() < fault.errorRate()) {
                status = 503;
                failed.incrementAndGet();
            }
        }
        byte[] body = (status == 200 ? "{\"ok\":true}" : "{\"ok\":false}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
