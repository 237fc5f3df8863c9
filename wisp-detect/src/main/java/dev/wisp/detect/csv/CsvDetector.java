package dev.wisp.detect.csv;

import dev.wisp.detect.baseline.SeasonalBaseline;
import dev.wisp.detect.univariate.UnivariateScorer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Univariate streaming detection over a CSV with header {@code timestamp,value}: writes
 * {@code timestamp,value,anomaly_score}, one row per input row, each score in [0,1] and computed
 * from the rows up to and including it only. The scoring is a {@link UnivariateScorer}: by default
 * {@link dev.wisp.detect.univariate.WispScorer} (built on {@link SeasonalBaseline}, the machinery the
 * engine uses), or one of the comparison baselines ({@code wisp detect csv --detector}).
 *
 * <p>Timestamps may be ISO-8601 instants ({@code 2014-04-01T00:00:00Z}), local date-times read as
 * UTC ({@code 2014-04-01 00:00:00}, the Numenta benchmark's form) or epoch seconds/milliseconds; the
 * columns may come in any order and others are ignored. A header without both columns, or no input
 * at all, is an {@link IOException}. A row whose value is not a number gets score 0 and is not
 * learned; a row whose timestamp cannot be read reuses the previous row's time. Both are copied to
 * the output as they were. Scores are written with nine decimals.
 */
public final class CsvDetector {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]", Locale.ROOT);

    private final UnivariateScorer scorer;

    /** Wisp's own detector ({@link UnivariateScorer.Kind#WISP}). */
    public CsvDetector() { this(UnivariateScorer.Kind.WISP.create()); }

    /** Scores with {@code scorer}, which must be fresh (it learns the series this detector reads). */
    public CsvDetector(UnivariateScorer scorer) { this.scorer = scorer; }

    /** The bare baseline as the scorer: {@link SeasonalBaseline#score}, no further stages. */
    public CsvDetector(SeasonalBaseline baseline) { this(baseline::score); }

    /** Scores one observation then learns it. */
    public double score(long epochMillis, double value) { return scorer.score(epochMillis, value); }

    /** Reads the whole CSV from {@code in}, writes the scored CSV to {@code out}; returns the rows written. */
    public long run(Reader in, Writer out) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        String header = r.readLine();
        if (header == null) throw new IOException("empty input: expected a header timestamp,value");
        String[] h = header.replace("\uFEFF", "").trim().split(",");
        int ti = -1, vi = -1;
        for (int i = 0; i < h.length; i++) {
            String c = h[i].trim().replace("\"", "").toLowerCase(Locale.ROOT);
            if (c.equals("timestamp")) ti = i;
            else if (c.equals("value")) vi = i;
        }
        if (ti < 0 || vi < 0) throw new IOException("header must name the columns timestamp and value, got: " + header);
        out.write("timestamp,value,anomaly_score\n");
        long rows = 0;
        long lastT = 0;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            String ts = ti < f.length ? f[ti].trim() : "";
            String vs = vi < f.length ? f[vi].trim() : "";
            long t = parseTime(ts, lastT);
            lastT = t;
            double v;
            try {
                v = Double.parseDouble(vs);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            double s = Double.isFinite(v) ? score(t, v) : 0;
            out.write(ts);
            out.write(',');
            out.write(vs);
            out.write(',');
            out.write(formatScore(s));
            out.write('\n');
            rows++;
        }
        out.flush();
        return rows;
    }

    /**
     * A score with nine decimals (the scorer chooses its threshold among the distinct scores, so
     * resolution near 1 matters), clamped to [0,1]; NaN is written as 0.
     */
    static String formatScore(double s) {
        if (!(s > 0)) return "0";
        if (s >= 1) return "1";
        long q = Math.round(s * 1e9);
        if (q >= 1_000_000_000L) return "1";
        String d = Long.toString(q);
        return "0." + "000000000".substring(d.length()) + d;
    }

    /** Epoch millis of a timestamp in one of the accepted forms, else {@code fallback}. */
    public static long parseTime(String ts, long fallback) {
        long fast = parseDateTimeFast(ts);
        if (fast != Long.MIN_VALUE) return fast;
        String s = ts.replace("\"", "").trim();
        if (s.isEmpty()) return fallback;
        try {
            if (s.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '-') && s.indexOf('-', 1) < 0) {
                double d = Double.parseDouble(s);
                return d > 1e11 ? (long) d : (long) (d * 1000);
            }
        } catch (NumberFormatException ignored) { /* fall through */ }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException ignored) { /* fall through */ }
        try {
            return LocalDateTime.parse(s.replace('T', ' '), LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) { /* fall through */ }
        return fallback;
    }

    /**
     * The common forms {@code yyyy-MM-dd HH:mm[:ss[.SSS]]}, with a space or {@code T} (then optionally
     * ending in {@code Z}), read as UTC without the general parsers, whose failed attempts (exceptions)
     * cost more per row than the whole detector; {@link Long#MIN_VALUE} for anything else, which then
     * takes the general path with the same result as before.
     */
    static long parseDateTimeFast(String s) {
        int n = s.length();
        boolean zulu = n > 0 && s.charAt(n - 1) == 'Z';
        if (zulu) n--;
        if (n != 16 && n != 19 && n != 23) return Long.MIN_VALUE;
        char sep = s.charAt(10);
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || !(sep == 'T' || sep == ' ' && !zulu) || s.charAt(13) != ':') return Long.MIN_VALUE;
        int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = 0, ms = 0;
        if (n >= 19) {
            if (s.charAt(16) != ':') return Long.MIN_VALUE;
            sec = digits(s, 17, 2);
        }
        if (n == 23) {
            if (s.charAt(19) != '.') return Long.MIN_VALUE;
            ms = digits(s, 20, 3);
        }
        if ((y | mo | d | h | mi | sec | ms) < 0 || mo < 1 || mo > 12 || d < 1 || d > YearMonth.of(y, mo).lengthOfMonth()
                || h > 23 || mi > 59 || sec > 59) {
            return Long.MIN_VALUE;
        }
        long days = LocalDate.of(y, mo, d).toEpochDay();
        return ((days * 24 + h) * 60 + mi) * 60_000L + sec * 1000L + ms;
    }

    /** The decimal number in {@code s[from, from+len)}, or -1 when a character is not a digit. */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
