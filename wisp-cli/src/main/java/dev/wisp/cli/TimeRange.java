package dev.wisp.cli;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** A time window given as {@code --since 15m} or as {@code --from/--to} (ISO-8601 or epoch ms). */
final class TimeRange {
    @Option(names = "--since", description = "Window ending now: 30s, 15m, 2h, 7d. Default: 1h") String since;
    @Option(names = "--from", description = "Start: ISO-8601 instant or epoch milliseconds") String from;
    @Option(names = "--to", description = "End: ISO-8601 instant or epoch milliseconds. Default: now") String to;

    /** Query parameters {@code from=…&to=…} in epoch milliseconds. */
    String query() {
        long end = to == null ? System.currentTimeMillis() : parse(to);
        long start = from != null ? parse(from) : end - duration(since == null ? "1h" : since).toMillis();
        return "from=" + start + "&to=" + end;
    }

    static long parse(String v) {
        return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
    }

    static Duration duration(String v) {
        if (v.length() < 2) throw new IllegalArgumentException("--since needs a number and a unit (s, m, h, d), e.g. 15m");
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("--since unit must be s, m, h or d, not " + v);
        };
    }
}
