package dev.wisp.detect.univariate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RollingWindowTest {
    @Test
    void holdsTheLastValuesOnly() {
        RollingWindow w = new RollingWindow(3);
        for (double x : new double[] {1, 2, 3, 4}) w.add(x);
        assertEquals(3, w.size());
        assertEquals(3.0, w.mean(), 1e-12);
        assertEquals(2.0 / 3, w.variance(), 1e-12);
    }

    @Test
    void runningSumsDoNotDriftOverMillionsOfValues() {
        RollingWindow w = new RollingWindow(100);
        Random rnd = new Random(3);
        double[] last = new double[100];
        for (int i = 0; i < 2_000_000; i++) {
            double x = 1e6 + rnd.nextGaussian() * (i % 1000 == 0 ? 1e5 : 1);
            last[i % 100] = x;
            w.add(x);
        }
        double mean = 0;
        for (double x : last) mean += x / 100;
        double var = 0;
        for (double x : last) var += (x - mean) * (x - mean) / 100;
        assertEquals(mean, w.mean(), 1e-6);
        assertEquals(var, w.variance(), 1e-3 * Math.max(1, var));
    }
}
