package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.JsonLinesSink.Stream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/** Copies a window of the store into JSON Lines files, written by the same sink as live telemetry. */
final class Exporter {
    private Exporter() {}

    static Map<Stream, Long> export(DuckDBConnection c, String tenant, long from, long to, Path dir) throws SQLException {
        prepare(dir);
        Map<Stream, Long> counts = new EnumMap<>(Stream.class);
        c.setAutoCommit(false); // one transaction: the four streams come from the same snapshot
        try (JsonLinesSink sink = new JsonLinesSink(dir)) {
            for (Table<?> table : Database.TABLES) counts.put(table.stream(), copy(c, table, tenant, from, to, sink));
        } finally {
            c.rollback();
        }
        for (Stream s : Stream.values()) touch(dir.resolve(s.fileName)); // the sink only creates files it writes to
        return counts;
    }

    private static long copy(DuckDBConnection c, Table<?> table, String tenant, long from, long to, JsonLinesSink sink)
            throws SQLException {
        return each(c, table, tenant, from, to, sink::write);
    }

    /** Every row of one table in the window, as model objects in time order. */
    static long each(DuckDBConnection c, Table<?> table, String tenant, long from, long to, Consumer<Object> into)
            throws SQLException {
        Where where = Where.of(tenant, table.timeColumn(), from, to);
        String sql = "SELECT " + table.selectList() + " FROM " + table.name() + where.sql() + " ORDER BY " + table.timeColumn();
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            where.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.accept(table.read(rs));
                    n++;
                }
            }
        }
        return n;
    }

    private static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Stream s : Stream.values()) Files.deleteIfExists(dir.resolve(s.fileName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private static void touch(Path file) {
        try {
            if (Files.notExists(file)) Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }
}
