package dev.wisp.detect.csv;

import dev.wisp.detect.baseline.SeasonalBaseline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Univariate streaming detection over a CSV with header {@code timestamp,value}: writes
 * {@code timestamp,value,anomaly_score}, one row per input row, each score computed from the rows up
 * to and including it only, by {@link SeasonalBaseline#score} (the same machinery the engine uses).
 *
 * <p>Timestamps may be ISO-8601 instants ({@code 2014-04-01T00:00:00Z}), local date-times read as
 * UTC ({@code 2014-04-01 00:00:00}, the Numenta benchmark's form) or epoch seconds/milliseconds. A
 * row whose value is not a number gets score 0 and is not learned; a row whose timestamp cannot be
 * read reuses the previous row's time.
 */
public final class CsvDetector {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]", Locale.ROOT);

    private final SeasonalBaseline baseline;

    public CsvDetector() { this(new SeasonalBaseline(SeasonalBaseline.Params.univariate())); }

    public CsvDetector(SeasonalBaseline baseline) { this.baseline = baseline; }

    /** Scores one observation then learns it. */
    public double score(long epochMillis, double value) { return baseline.score(epochMillis, value); }

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
            out.write(String.format(Locale.ROOT, "%.6f", s));
            out.write('\n');
            rows++;
        }
        out.flush();
        return rows;
    }

    /** Epoch millis of a timestamp in one of the accepted forms, else {@code fallback}. */
    public static long parseTime(String ts, long fallback) {
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
}
