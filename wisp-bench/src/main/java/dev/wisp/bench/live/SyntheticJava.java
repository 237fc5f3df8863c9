package dev.wisp.bench.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bench's synthetic function for the {@code java21} runtime, with the environment contract of
 * {@code synthetic.py}. It is not run by the bench: its class file is shipped to Wisp as the
 * function's code (handler {@code dev.wisp.bench.live.SyntheticJava::handle}), so it uses the JDK
 * only and has no nested classes or lambdas.
 */
public final class SyntheticJava {
    private static final double[] EXEC = table("WISP_SYN_EXEC_MS");
    private static final double CPU = number("WISP_SYN_CPU");
    private static final double ERROR_RATE = number("WISP_SYN_ERROR_RATE");
    private static final String DEPENDENCY = System.getenv("WISP_SYN_DEPENDENCY_URL");

    static {
        // the init phase: loading a model, opening connections
        sleepNanos((long) (sample(table("WISP_SYN_INIT_MS")) * 1_000_000));
    }

    private SyntheticJava() {}

    public static String handle(byte[] event) {
        double ms = sample(EXEC);
        long start = System.nanoTime();
        long burnUntil = start + (long) (ms * CPU * 1_000_000);
        long x = 0;
        while (System.nanoTime() < burnUntil) x++;
        sleepNanos(start + (long) (ms * 1_000_000) - System.nanoTime());
        if (DEPENDENCY != null && !DEPENDENCY.isEmpty()) callDependency();
        double fail = Math.max(ERROR_RATE, failRate(new String(event, StandardCharsets.UTF_8)));
        if (fail > 0 && ThreadLocalRandom.current().nextDouble() < fail) {
            throw new IllegalStateException("synthetic failure");
        }
        return "{\"ms\":" + Math.round(ms * 10) / 10.0 + ",\"spins\":" + (x & 1) + "}";
    }

    private static void callDependency() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(DEPENDENCY).toURL().openConnection();
            c.setConnectTimeout(30_000);
            c.setReadTimeout(30_000);
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) in.readAllBytes();
            }
            if (status != 200) throw new UncheckedIOException(new IOException("dependency failed: " + status));
        } catch (IOException e) {
            throw new UncheckedIOException("dependency failed", e);
        }
    }

    private static double failRate(String event) {
        int i = event.indexOf("\"failRate\":");
        if (i < 0) return 0;
        int from = i + "\"failRate\":".length();
        int to = from;
        while (to < event.length() && "0123456789.eE-+ ".indexOf(event.charAt(to)) >= 0) to++;
        try {
            return Double.parseDouble(event.substring(from, to).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double[] table(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) return new double[] {0};
        String[] parts = v.trim().split("\\s+");
        double[] t = new double[parts.length];
        for (int i = 0; i < parts.length; i++) t[i] = Double.parseDouble(parts[i]);
        return t;
    }

    private static double number(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? 0 : Double.parseDouble(v);
    }

    private static double sample(double[] t) {
        if (t.length == 1) return t[0];
        double u = ThreadLocalRandom.current().nextDouble() * (t.length - 1);
        int i = (int) u;
        int j = Math.min(i + 1, t.length - 1);
        return t[i] + (t[j] - t[i]) * (u - i);
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) return;
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
