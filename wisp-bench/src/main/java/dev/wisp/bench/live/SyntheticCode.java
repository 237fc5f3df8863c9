package dev.wisp.bench.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * The deployment package of a synthetic function in one of Wisp's runtimes, and the environment
 * that tells it how to behave. One small program per runtime reads:
 * <ul>
 *   <li>{@code WISP_SYN_INIT_MS}, {@code WISP_SYN_EXEC_MS}: the distributions as 101 quantiles (ms,
 *       0th to 100th percentile), so every runtime samples any distribution the same way;</li>
 *   <li>{@code WISP_SYN_CPU}: the share of the execution spent burning CPU (cpuMillicores / 1000);</li>
 *   <li>{@code WISP_SYN_ERROR_RATE}: probability of a handled error;</li>
 *   <li>{@code WISP_SYN_DEPENDENCY_URL}: a downstream dependency called once per invocation.</li>
 * </ul>
 */
record SyntheticCode(String runtime, String handler, byte[] zip) {
    static final int QUANTILES = 101;

    /** The package for a scenario runtime name ({@code java21}, {@code provided}, {@code nodejs}, {@code python3}). */
    static SyntheticCode forRuntime(String scenarioRuntime) {
        String r = scenarioRuntime == null ? "python3" : scenarioRuntime.toLowerCase(Locale.ROOT);
        if (r.startsWith("java")) {
            return new SyntheticCode("java21", SyntheticJava.class.getName() + "::handle",
                    zip("dev/wisp/bench/live/SyntheticJava.class", classBytes(), false));
        }
        if (r.startsWith("provided")) {
            return new SyntheticCode("provided.al2023", "synthetic", zip("bootstrap", resource("synthetic-bootstrap.sh"), true));
        }
        if (r.startsWith("node")) {
            return new SyntheticCode("nodejs20.x", "index.handler", zip("index.js", resource("synthetic.js"), false));
        }
        if (r.startsWith("python")) {
            return new SyntheticCode("python3.12", "app.handler", zip("app.py", resource("synthetic.py"), false));
        }
        throw new IllegalArgumentException("live mode has no synthetic function for runtime " + scenarioRuntime);
    }

    /**
     * A distribution as quantiles, from {@code samples} draws: the 0th to 100th percentile in ms with
     * one decimal, space separated (a few hundred bytes, within Lambda's environment limit).
     */
    static String quantiles(DoubleSupplier sample, int samples) {
        double[] xs = new double[samples];
        for (int i = 0; i < samples; i++) xs[i] = Math.max(0, sample.getAsDouble());
        Arrays.sort(xs);
        StringBuilder sb = new StringBuilder();
        for (int q = 0; q < QUANTILES; q++) {
            double v = xs[(int) Math.round((double) q / (QUANTILES - 1) * (samples - 1))];
            if (q > 0) sb.append(' ');
            sb.append(String.format(Locale.ROOT, "%.1f", v));
        }
        return sb.toString();
    }

    /** Quantiles of a constant. */
    static String constant(double ms) {
        return String.format(Locale.ROOT, "%.1f", Math.max(0, ms));
    }

    static String fraction(double x) {
        return String.format(Locale.ROOT, "%.3f", Math.min(1, Math.max(0, x)));
    }

    private static byte[] classBytes() {
        try (InputStream in = SyntheticJava.class.getResourceAsStream("SyntheticJava.class")) {
            if (in == null) throw new IllegalStateException("SyntheticJava.class is not on the class path");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = SyntheticCode.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource dev/wisp/bench/live/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] zip(String name, byte[] content, boolean executable) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            String[] parts = name.split("/");
            StringBuilder dir = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                dir.append(parts[i]).append('/');
                ZipArchiveEntry d = new ZipArchiveEntry(dir.toString());
                d.setUnixMode(040755);
                zip.putArchiveEntry(d);
                zip.closeArchiveEntry();
            }
            ZipArchiveEntry e = new ZipArchiveEntry(name);
            e.setUnixMode(executable ? 0100755 : 0100644);
            zip.putArchiveEntry(e);
            zip.write(content);
            zip.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
