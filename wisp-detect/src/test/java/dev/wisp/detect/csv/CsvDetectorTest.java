package dev.wisp.detect.csv;

import dev.wisp.detect.univariate.UnivariateScorer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDetectorTest {
    static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z
    static final long STEP = 300_000L;

    /** A NAB-like series: daily cycle, noise, a spike at row 2500 and a level shift from row 3200. */
    static String series(int rows) {
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < rows; i++) {
            long t = T0 + i * STEP;
            double v = 50 + 10 * Math.sin(2 * Math.PI * i / 288.0) + r.nextGaussian();
            if (i == 2500) v += 40;
            if (i >= 3200) v += 25;
            String ts = Instant.ofEpochMilli(t).toString().replace('T', ' ').replace("Z", "");
            sb.append(ts).append(',').append(String.format(java.util.Locale.ROOT, "%.3f", v)).append('\n');
        }
        return sb.toString();
    }

    static String[] run(UnivariateScorer.Kind kind, String csv) throws IOException {
        StringWriter out = new StringWriter();
        new CsvDetector(kind.create()).run(new StringReader(csv), out);
        return out.toString().split("\n");
    }

    static double[] scores(String[] lines) {
        return Arrays.stream(lines).skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[2])).toArray();
    }

    @Test
    void everyDetectorKeepsTheContract() throws IOException {
        String csv = series(4000);
        String[] in = csv.split("\n");
        for (UnivariateScorer.Kind kind : UnivariateScorer.Kind.values()) {
            String[] lines = run(kind, csv);
            assertEquals("timestamp,value,anomaly_score", lines[0], kind.wireName());
            assertEquals(in.length, lines.length, kind + ": one output row per input row");
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(",");
                assertEquals(3, f.length);
                assertEquals(in[i], f[0] + "," + f[1], kind + ": timestamp and value are copied verbatim");
                double s = Double.parseDouble(f[2]);
                assertTrue(s >= 0 && s <= 1, kind + " row " + i + ": " + s);
            }
        }
    }

    @Test
    void scoresAreOnline_aPrefixScoresLikeTheWholeFile() throws IOException {
        String csv = series(4000);
        String[] in = csv.split("\n");
        for (UnivariateScorer.Kind kind : UnivariateScorer.Kind.values()) {
            double[] whole = scores(run(kind, csv));
            for (int n : new int[] {1, 10, 777, 2501, 3300}) {
                String prefix = String.join("\n", Arrays.copyOf(in, n + 1)) + "\n";
                double[] part = scores(run(kind, prefix));
                assertArrayEquals(Arrays.copyOf(whole, n), part, 0.0, kind + " prefix " + n);
            }
        }
    }

    @Test
    void wispFlagsTheSpikeAndTheShiftAndStaysQuietOtherwise() throws IOException {
        double[] s = scores(run(UnivariateScorer.Kind.WISP, series(4000)));
        double spike = s[2500];
        double shift = Arrays.stream(s, 3200, 3210).max().orElse(0);
        // Gaussian noise keeps setting records now and then, and a value beyond the whole range seen so
        // far (by 2% of it) is reported by design; anything more than that in the calm stretch is a false alarm.
        long calmAlarms = Arrays.stream(s, 1000, 2490).filter(x -> x >= 0.5).count();
        assertTrue(spike > 0.9, "spike " + spike);
        assertTrue(shift > 0.9, "shift " + shift);
        assertTrue(calmAlarms <= 1, "calm alarms " + calmAlarms);
    }

    @Test
    void aMissingHeaderIsAClearError() {
        IOException e = assertThrows(IOException.class,
                () -> new CsvDetector().run(new StringReader("2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2\n"), new StringWriter()));
        assertTrue(e.getMessage().contains("timestamp") && e.getMessage().contains("value"), e.getMessage());
        IOException empty = assertThrows(IOException.class, () -> new CsvDetector().run(new StringReader(""), new StringWriter()));
        assertTrue(empty.getMessage().contains("header"), empty.getMessage());
    }

    @Test
    void aNonNumericValueScoresZeroAndIsNotLearned() throws IOException {
        StringBuilder a = new StringBuilder("timestamp,value\n"), b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 600; i++) {
            String ts = Long.toString((T0 + i * STEP) / 1000);
            String v = Integer.toString(10 + i % 5);
            a.append(ts).append(',').append(v).append('\n');
            b.append(ts).append(',').append(i == 300 ? "n/a" : v).append('\n');
        }
        String[] la = run(UnivariateScorer.Kind.WISP, a.toString()), lb = run(UnivariateScorer.Kind.WISP, b.toString());
        assertEquals(la.length, lb.length);
        assertEquals("0", lb[301].split(",")[2]);
        assertEquals(ts(lb[301]) + ",n/a", lb[301].substring(0, lb[301].lastIndexOf(',')));
        for (String l : lb) if (!l.startsWith("timestamp")) assertTrue(Double.parseDouble(l.split(",")[2]) <= 1);
    }

    private static String ts(String line) { return line.split(",")[0]; }

    @Test
    void headerColumnsMayComeInAnyOrderAndTimestampsInSeveralForms() throws IOException {
        assertEquals(1396310400000L, CsvDetector.parseTime("2014-04-01 00:00:00", 0));
        assertEquals(1396310400000L, CsvDetector.parseTime("2014-04-01T00:00:00Z", 0));
        assertEquals(1396310400000L, CsvDetector.parseTime("1396310400", 0));
        assertEquals(1396310400000L, CsvDetector.parseTime("1396310400000", 0));
        assertEquals(42L, CsvDetector.parseTime("not a time", 42));
        StringWriter out = new StringWriter();
        long rows = new CsvDetector().run(new StringReader("value,timestamp\n1,2014-04-01 00:00:00\n2,2014-04-01 00:05:00\n"), out);
        assertEquals(2, rows);
        assertTrue(out.toString().startsWith("timestamp,value,anomaly_score\n2014-04-01 00:00:00,1,"), out.toString());
    }

    @Test
    void theFastTimestampPathAgreesWithJavaTime() {
        Random r = new Random(17);
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
        for (int i = 0; i < 20_000; i++) {
            long t = (long) (r.nextDouble() * 4_102_444_800_000L) / (i % 3 == 0 ? 1 : 1000) * (i % 3 == 0 ? 1 : 1000);
            java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(t, 1000), (int) Math.floorMod(t, 1000) * 1_000_000,
                    java.time.ZoneOffset.UTC);
            String full = d.format(f);
            assertEquals(t, CsvDetector.parseTime(full, -1), full);
            if (t % 1000 == 0) {
                String sec = full.substring(0, 19);
                assertEquals(t, CsvDetector.parseTime(sec, -1), sec);
                assertEquals(t, CsvDetector.parseTime(sec.replace(' ', 'T') + "Z", -1), sec);
                if (t % 60_000 == 0) assertEquals(t, CsvDetector.parseTime(sec.substring(0, 16), -1), sec);
            }
        }
        assertEquals(Long.MIN_VALUE, CsvDetector.parseDateTimeFast("2014-02-30 00:00:00")); // left to the general parser
        assertEquals(Long.MIN_VALUE, CsvDetector.parseDateTimeFast("2014-04-01 24:00:00"));
        assertEquals(Long.MIN_VALUE, CsvDetector.parseDateTimeFast("2014-04-01 00:00:00Z"));
        assertEquals(Long.MIN_VALUE, CsvDetector.parseDateTimeFast("2014/04/01 00:00:00"));
        assertEquals(Long.MIN_VALUE, CsvDetector.parseDateTimeFast("2014-0a-01 00:00:00"));
        assertEquals(Long.MIN_VALUE, CsvDetector.parseDateTimeFast("1396310400000"));
    }

    @Test
    void scoresAreWrittenWithNineDecimalsInRange() {
        assertEquals("0", CsvDetector.formatScore(0));
        assertEquals("0", CsvDetector.formatScore(Double.NaN));
        assertEquals("1", CsvDetector.formatScore(1.5));
        assertEquals("0.500000000", CsvDetector.formatScore(0.5));
        assertEquals("0.000000123", CsvDetector.formatScore(1.23e-7));
        assertEquals("1", CsvDetector.formatScore(0.9999999999));
    }
}
