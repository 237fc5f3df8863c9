package dev.wisp.store;

import static dev.wisp.store.StoreTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.ManualClock;
import dev.wisp.telemetry.model.LogLine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL the log query runs for a pattern selects exactly the lines {@link FilterPattern#matches} accepts. */
class LogFilterQueryTest {
    private static final List<String> LINES = List.of(
            "START RequestId: 1 Version: $LATEST",
            "[ERROR] db connection refused",
            "[error] lower case",
            "WARN slow query 1200 ms",
            "Task timed out after 3.00 seconds",
            "GET /health 200",
            "ERROR healthcheck failed",
            "REPORT RequestId: 1\tDuration: 12.00 ms",
            "100% done, 50_percent _under_ \\ \"quoted\"");

    @TempDir Path dir;

    @Test
    void sqlAndJavaAgree() {
        try (TelemetryStore store = StoreTestSupport.open(dir, new ManualClock(T0))) {
            for (int i = 0; i < LINES.size(); i++) {
                store.accept(new LogLine(T0 + i, LogLine.Source.FUNCTION, "t", "f", "i", "INFO", "r", LINES.get(i)));
            }
            store.flush();
            for (String pattern : List.of("ERROR", "ERROR -healthcheck", "?ERROR ?WARN", "\"Task timed out\"", "RequestId",
                    "-RequestId", "?ERROR ?WARN -db", "%", "_under_", "\\", "\"\\\"quoted\\\"\"", "50_", "nothing matches this")) {
                List<String> expected = LINES.reversed().stream().filter(FilterPattern.parse(pattern)::matches).toList();
                List<String> got = store.queries().logs(new LogQuery("t", null, null, pattern, 0, Long.MAX_VALUE, 100))
                        .stream().map(LogLine::message).toList();
                assertEquals(expected, got, pattern);
            }
            assertThrows(IllegalArgumentException.class,
                    () -> store.queries().logs(new LogQuery("t", null, null, "{ $.level = \"ERROR\" }", 0, Long.MAX_VALUE, 10)));
        }
    }
}
