package dev.wisp.store;

import static dev.wisp.store.StoreTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.ManualClock;
import dev.wisp.common.WispException;
import dev.wisp.telemetry.model.LogLine;
import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWriterTest {
    @TempDir Path dir;

    private static LogLine line(int i) {
        return new LogLine(T0 + i, LogLine.Source.FUNCTION, "t", "f", "i", "INFO", null, "line " + i);
    }

    @Test
    void aFailedBatchIsDroppedAndCountedAndTheNextOneWorks() throws Exception {
        try (Database db = Database.open(dir.resolve("w.duckdb"), StoreConfig.DEFAULTS)) {
            StoreWriter writer = new StoreWriter(db.writer(), new ManualClock(T0), 100);
            try (Statement s = db.writer().createStatement()) {
                s.execute("DROP TABLE logs");
            }
            db.writer().commit();
            writer.accept(line(1));
            writer.accept(line(2));
            var e = assertThrows(WispException.class, writer::flush);
            assertEquals(ErrorCode.SERVICE, e.code());
            assertEquals(2, writer.dropped());
            assertEquals(0, writer.pending());
            assertEquals(0, writer.lagMillis());

            try (Statement s = db.writer().createStatement()) {
                s.execute(LogTable.INSTANCE.ddl());
            }
            db.writer().commit();
            writer.accept(line(3));
            writer.flush();
            assertEquals(1, writer.appended());
            assertEquals(1, new TelemetryQueries(db).logs(new LogQuery(null, null, null, null, 0, Long.MAX_VALUE, 10)).size());
        }
    }

    @Test
    void theOpenAppendersServeEveryThreadInTurn() throws Exception {
        // the bus's drain thread, an import and the retention all write through the same appenders
        try (Database db = Database.open(dir.resolve("w.duckdb"), StoreConfig.DEFAULTS)) {
            StoreWriter writer = new StoreWriter(db.writer(), new ManualClock(T0), 100);
            for (int t = 0; t < 3; t++) {
                int base = t * 10;
                Thread th = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10; i++) writer.accept(line(base + i));
                });
                th.join();
            }
            assertEquals(30, writer.pending());
            Thread flusher = Thread.ofPlatform().start(writer::flush);
            flusher.join();
            assertEquals(30, writer.appended());
            assertEquals(0, writer.dropped());
            assertEquals(30, new TelemetryQueries(db).logs(new LogQuery(null, null, null, null, 0, Long.MAX_VALUE, 100)).size());
            writer.close();
        }
    }
}
