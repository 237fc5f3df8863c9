package dev.wisp.bench.scenario;

import java.util.random.RandomGenerator;

/** A duration in milliseconds drawn at random; samples are never below 0. */
public sealed interface Distribution {
    double sample(RandomGenerator rnd);

    double mean();

    record Const(double value) implements Distribution {
        public double sample(RandomGenerator rnd) { return Math.max(0, value); }

        public double mean() { return Math.max(0, value); }
    }

    record Normal(double mean, double sd) implements Distribution {
        public double sample(RandomGenerator rnd) { return Math.max(0, mean + sd * rnd.nextGaussian()); }
    }

    /** Given by its median and 99th percentile, the way latencies are usually quoted. */
    record LogNormal(double median, double p99) implements Distribution {
        /** The standard normal's 99th percentile. */
        static final double Z99 = 2.3263478740408408;

        public double mu() { return Math.log(median); }

        public double sigma() { return (Math.log(p99) - Math.log(median)) / Z99; }

        public double sample(RandomGenerator rnd) { return Math.exp(mu() + sigma() * rnd.nextGaussian()); }

        public double mean() {
            double s = sigma();
            return Math.exp(mu() + s * s / 2);
        }
    }

    record Uniform(double min, double max) implements Distribution {
        public double sample(RandomGenerator rnd) { return Math.max(0, min + (max - min) * rnd.nextDouble()); }

        public double mean() { return Math.max(0, (min + max) / 2); }
    }

    /**
     * Given by percentiles, interpolated linearly between them: real functions' execution times from
     * a trace's durations file. Not written in scenario files.
     *
     * @param probabilities increasing, from 0 to 1
     * @param values        the value at each probability, nondecreasing
     */
    record Piecewise(double[] probabilities, double[] values) implements Distribution {
        public Piecewise {
            if (probabilities.length != values.length || probabilities.length < 2) {
                throw new IllegalArgumentException("need matching probabilities and values, at least two");
            }
            probabilities = probabilities.clone();
            values = values.clone();
        }

        public double sample(RandomGenerator rnd) {
            double u = rnd.nextDouble() * probabilities[probabilities.length - 1];
            int i = 1;
            while (i < probabilities.length - 1 && probabilities[i] < u) i++;
            double p0 = probabilities[i - 1];
            double p1 = probabilities[i];
            double f = p1 <= p0 ? 0 : (u - p0) / (p1 - p0);
            return Math.max(0, values[i - 1] + f * (values[i] - values[i - 1]));
        }

        public double mean() {
            double m = 0;
            for (int i = 1; i < values.length; i++) {
                m += (probabilities[i] - probabilities[i - 1]) * (values[i] + values[i - 1]) / 2;
            }
            return Math.max(0, m);
        }
    }
}
