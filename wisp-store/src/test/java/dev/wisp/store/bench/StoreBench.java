package dev.wisp.store.bench;

import dev.wisp.common.SystemClock;
import dev.wisp.store.FilterPattern;
import dev.wisp.store.InvocationQuery;
import dev.wisp.store.LogQuery;
import dev.wisp.store.Resolution;
import dev.wisp.store.SeriesPoint;
import dev.wisp.store.StoreConfig;
import dev.wisp.store.TelemetryQueries;
import dev.wisp.store.TelemetryStore;
import dev.wisp.telemetry.Subscription;
import dev.wisp.telemetry.TelemetryBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Measures the telemetry store; run by bench/store-bench.sh, not a test. Prints:
 * <ol>
 *   <li>ingest: mixed telemetry through a real {@link TelemetryBus} subscription into the store
 *       (accept per item, flush when the bus has caught up), and the same into H2 with batched
 *       JDBC inserts;</li>
 *   <li>queries over 24 h of one function at 100 invocations/s: series by minute, a request-id
 *       lookup and log filters, median of several runs.</li>
 * </ol>
 * Arguments: a work directory (emptied files are left there), and optionally the ingest record
 * count (default 2,000,000) and the hours of query data (default 24).
 */
public final class StoreBench {
    private static final int BUS_CAPACITY = 262_144; // what the server subscribes the store with
    private static final int RUNS = 7;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/store-bench");
        long ingestRecords = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000;
        int hours = args.length > 2 ? Integer.parseInt(args[2]) : 24;
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        System.out.println("\n== ingest: " + ingestRecords + " mixed records through the bus ==");
        System.out.printf(Locale.ROOT, "generation alone        %,10.0f rec/s%n", generationRate(ingestRecords));
        Path duck = work.resolve("ingest.duckdb");
        Path h2 = work.resolve("ingest-h2");
        for (long n : new long[] {ingestRecords / 10, ingestRecords}) { // a short round first warms up the JIT
            String round = n < ingestRecords ? " (warm-up)" : "";
            try (TelemetryStore store = TelemetryStore.open(fresh(duck))) {
                report("DuckDB appender" + round, ingest(n, store::accept, store::flush, store::appended));
            }
            try (H2Sink sink = new H2Sink(fresh(h2).toString())) {
                report("H2 batched insert" + round, ingest(n, sink::accept, sink::flush, sink::appended));
            }
        }
        System.out.printf(Locale.ROOT, "files: DuckDB %,d MB, H2 %,d MB%n", Files.size(duck) >> 20,
                Files.size(work.resolve("ingest-h2.mv.db")) >> 20);
        // the same aggregate on both: what the store is mostly asked for (series, cost)
        String perMinute = "SELECT FLOOR(completed_at / 60000) AS m, count(*), sum(cost_usd),"
                + " PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY duration_ms) FROM invocations"
                + " WHERE function_name = 'api' AND completed_at > ? GROUP BY m ORDER BY m DESC";
        for (String url : List.of("jdbc:duckdb:" + duck.toAbsolutePath(), "jdbc:h2:file:" + h2.toAbsolutePath())) {
            try (var c = DriverManager.getConnection(url); var ps = c.prepareStatement(perMinute)) {
                long[] run = {0};
                time("per-minute count/sum/p95 on " + (url.contains("h2") ? "H2" : "DuckDB"), 3, () -> {
                    try {
                        ps.setLong(1, -1 - run[0]++); // a new parameter each run: H2 would answer a repeat from its cache
                        try (var rs = ps.executeQuery()) {
                            int rows = 0;
                            while (rs.next()) rows++;
                            if (rows == 0) throw new IllegalStateException("no rows");
                            return rows;
                        }
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }

        System.out.println("\n== queries: " + hours + " h of one function at 100 invocations/s ==");
        Path file = fresh(work.resolve("query.duckdb"));
        long end = System.currentTimeMillis() / 60_000 * 60_000;
        long start = end - hours * 3_600_000L;
        List<String> requestIds = new ArrayList<>();
        long invocations = hours * 360_000L;
        long t0 = System.nanoTime();
        long stored;
        try (TelemetryStore store = TelemetryStore.open(file, new StoreConfig("1GB", 0, 65_536), SystemClock.INSTANCE)) {
            Workload w = new Workload(start, 100, false);
            for (long i = 0; i < invocations; i++) {
                String id = w.next(store::accept);
                if (i % (invocations / 10) == invocations / 20) requestIds.add(id); // ten ids spread over the day
            }
            store.flush();
            stored = store.appended();
        }
        double appendSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        long logRows;
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath()); Statement s = c.createStatement()) {
            logRows = s.executeUpdate(Workload.LOGS_FROM_INVOCATIONS);
        }
        System.out.printf(Locale.ROOT, "%,d invocations + %,d samples through accept() in %.1f s (%,.0f rows/s); %,d log lines"
                        + " made from them in SQL in %.1f s; file %,d MB%n", invocations, stored - invocations, appendSeconds,
                stored / appendSeconds, logRows, (System.nanoTime() - t1) / 1e9, Files.size(file) >> 20);
        try (TelemetryStore store = TelemetryStore.open(file)) {
            TelemetryQueries q = store.queries();
            String fn = Workload.FUNCTION;
            String tenant = Workload.TENANT;
            List<SeriesPoint> points = q.series(tenant, fn, Resolution.MINUTE, start, end);
            System.out.printf(Locale.ROOT, "series returns %d points; first: %s%n", points.size(), points.getFirst());
            time("series(MINUTE, " + hours + " h, one function)", () -> q.series(tenant, fn, Resolution.MINUTE, start, end));
            time("series(SECOND, last 1 h)", () -> q.series(tenant, fn, Resolution.SECOND, end - 3_600_000, end));
            time("series(MINUTE, last 1 h)", () -> q.series(tenant, fn, Resolution.MINUTE, end - 3_600_000, end));
            int[] next = {0};
            Supplier<Object> byRequest = () -> {
                String id = requestIds.get(next[0]++ % requestIds.size());
                List<?> found = q.invocations(new InvocationQuery(tenant, null, null, null, start, end, id, null, 1));
                if (found.size() != 1) throw new IllegalStateException("lookup of " + id + " found " + found.size());
                return found;
            };
            time("invocations(requestId), " + hours + " h window", byRequest);
            time("invocations(newest 100)", () -> q.invocations(new InvocationQuery(tenant, fn, null, null, start, end, null, null, 100)));
            time("logs(\"Task timed out\", limit 100)", () -> q.logs(new LogQuery(tenant, fn, null, "\"Task timed out\"", start, end, 100)));
            time("logs(?ERROR ?WARN -db-7, limit 100)", () -> q.logs(new LogQuery(tenant, fn, null, "?ERROR ?WARN -db-7", start, end, 100)));
            time("logs(requestId)", () -> q.logs(new LogQuery(tenant, fn, requestIds.get(3), null, start, end, 100)));
            time("cost(" + hours + " h)", () -> q.cost(tenant, start, end));
        }
        // the road not taken: filter log lines in Java, reading newest first until the limit is reached
        Properties streaming = new Properties();
        streaming.setProperty("jdbc_stream_results", "true");
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), streaming)) {
            for (String pattern : List.of("\"Task timed out\"", "?ERROR ?WARN -db-7")) {
                time("logs(" + pattern + ") filtered in Java", 3, () -> javaFilter(c, pattern, start, end, 100));
            }
        }
        // does an ART index on request_id pay for itself? (it also slows every append)
        try (var c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath()); Statement s = c.createStatement()) {
            long i0 = System.nanoTime();
            s.execute("CREATE INDEX invocations_request_id ON invocations (request_id)");
            System.out.printf(Locale.ROOT, "%nCREATE INDEX on request_id: %.1f s, file now %,d MB%n", (System.nanoTime() - i0) / 1e9,
                    Files.size(file) >> 20);
        }
        try (TelemetryStore store = TelemetryStore.open(file)) {
            TelemetryQueries q = store.queries();
            int[] next = {0};
            time("invocations(requestId) with index", () -> q.invocations(new InvocationQuery(Workload.TENANT, null, null, null,
                    start, end, requestIds.get(next[0]++ % requestIds.size()), null, 1)));
        }
    }

    private static int javaFilter(Connection c, String pattern, long start, long end, int limit) {
        FilterPattern filter = FilterPattern.parse(pattern);
        try (var ps = c.prepareStatement("SELECT message FROM logs WHERE tenant = ? AND function_name = ? AND ts >= ?"
                + " AND ts < ? ORDER BY ts DESC")) {
            ps.setString(1, Workload.TENANT);
            ps.setString(2, Workload.FUNCTION);
            ps.setLong(3, start);
            ps.setLong(4, end);
            int found = 0;
            try (var rs = ps.executeQuery()) {
                while (found < limit && rs.next()) {
                    if (filter.matches(rs.getString(1))) found++;
                }
            }
            return found;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path fresh(Path path) throws Exception {
        try (var files = Files.list(path.getParent())) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().startsWith(path.getFileName().toString())) Files.delete(p);
            }
        }
        return path;
    }

    private static double generationRate(long records) {
        long[] count = {0};
        Workload w = new Workload(System.currentTimeMillis(), 1_000, true);
        long t0 = System.nanoTime();
        while (count[0] < records) w.next(item -> count[0]++);
        return count[0] / ((System.nanoTime() - t0) / 1e9);
    }

    private record Ingest(long records, double seconds, long drops, long maxBacklog) {}

    /**
     * Publishes the workload on a bus whose one subscriber is the sink, pausing the publisher while
     * the subscriber's buffer is nearly full (the server would drop instead), until all is committed.
     */
    private static Ingest ingest(long records, Consumer<Object> accept, Runnable flush, LongSupplier appended) throws Exception {
        try (TelemetryBus bus = new TelemetryBus()) {
            Subscription sub = bus.subscribe("sink", BUS_CAPACITY, x -> true, accept, flush);
            Workload w = new Workload(System.currentTimeMillis(), 1_000, true);
            long[] published = {0};
            long maxBacklog = 0;
            long t0 = System.nanoTime();
            while (published[0] < records) {
                w.next(item -> {
                    bus.publish(item);
                    published[0]++;
                });
                if ((published[0] & 1023) < 2) {
                    int backlog = sub.backlog();
                    maxBacklog = Math.max(maxBacklog, backlog);
                    while (sub.backlog() > BUS_CAPACITY - 8_192) Thread.sleep(1);
                }
            }
            while (appended.getAsLong() < published[0] - sub.dropped()) Thread.sleep(1);
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Ingest(published[0], seconds, sub.dropped(), maxBacklog);
        }
    }

    private static void report(String what, Ingest r) {
        System.out.printf(Locale.ROOT, "%-28s %,10.0f rec/s  (%,d records in %.1f s, %d dropped, max backlog %,d)%n", what,
                r.records() / r.seconds(), r.records(), r.seconds(), r.drops(), r.maxBacklog());
    }

    private static void time(String what, Supplier<?> query) {
        time(what, RUNS, query);
    }

    private static void time(String what, int runs, Supplier<?> query) {
        query.get(); // warm-up: JIT, DuckDB's caches
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-42s median %8.1f ms  (min %.1f, max %.1f, %d runs)%n", what, ms[runs / 2], ms[0],
                ms[runs - 1], runs);
    }
}
