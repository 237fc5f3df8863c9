package dev.wisp.detect.baseline;

import dev.wisp.detect.csv.CsvDetector;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeasonalBaselineTest {
    static final long MIN = 60_000L, DAY = 86_400_000L;
    static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z, a Monday

    static double daily(long t) {
        long tod = Math.floorMod(t, DAY);
        return tod >= 8 * 3600_000L && tod < 9 * 3600_000L ? 100 : 10;
    }

    @Test
    void learnsADailyPeakAndFlagsTheSameLevelAtAnOddHour() {
        SeasonalBaseline b = new SeasonalBaseline(SeasonalBaseline.Params.defaults());
        Random r = new Random(1);
        long t = T0;
        for (; t < T0 + 7 * DAY; t += MIN) b.score(t, daily(t) + r.nextGaussian());
        long peak = T0 + 7 * DAY + 8 * 3600_000L + 30 * MIN;
        assertTrue(b.score(peak, 100) < 0.2, "the usual 08:00 peak");
        long odd = T0 + 7 * DAY + 3 * 3600_000L;
        assertTrue(b.score(odd, 100) > 0.9, "the same level at 03:00");
        assertEquals(0, b.score(odd + MIN, 10), 0.2);
    }

    @Test
    void scoresAreInRangeAndOddInputIsIgnored() {
        SeasonalBaseline b = new SeasonalBaseline(SeasonalBaseline.Params.univariate());
        for (int i = 0; i < 500; i++) {
            double s = b.score(T0 + i * 300_000L, i % 7 == 0 ? Double.NaN : Math.sin(i / 10.0));
            assertTrue(s >= 0 && s <= 1);
        }
        b.update(T0, 5); // out of order
        assertTrue(b.score(T0 + 501 * 300_000L, 1e9) > 0.9);
    }

    @Test
    void csvScoresEveryRowOnline() throws Exception {
        StringBuilder in = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 2000; i++) {
            String ts = java.time.Instant.ofEpochMilli(T0 + i * 300_000L).toString().replace('T', ' ').replace("Z", "");
            in.append(ts).append(',').append(i == 1500 ? 500 : 20 + (i % 3)).append('\n');
        }
        StringWriter out = new StringWriter();
        long rows = new CsvDetector().run(new StringReader(in.toString()), out);
        assertEquals(2000, rows);
        String[] lines = out.toString().split("\n");
        assertEquals("timestamp,value,anomaly_score", lines[0]);
        assertEquals(2001, lines.length);
        double spike = Double.parseDouble(lines[1501].split(",")[2]);
        double calm = Double.parseDouble(lines[1400].split(",")[2]);
        assertTrue(spike > 0.9 && calm < 0.5, spike + " " + calm);
    }
}
