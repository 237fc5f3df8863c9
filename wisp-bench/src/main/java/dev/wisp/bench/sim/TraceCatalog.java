package dev.wisp.bench.sim;

import dev.wisp.bench.scenario.Distribution;
import dev.wisp.bench.scenario.FunctionDef;
import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.scenario.ScenarioException;
import dev.wisp.bench.scenario.TraceFunctions;
import dev.wisp.bench.scenario.WorkloadStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Reads Azure Functions 2019 trace files (SCHEMA.md "Real traces"): per-minute invocation counts,
 * and optionally per-function duration percentiles and memory. Errors name the file and line.
 * Sim mode and live mode read traces through this one class, so both replay the same counts.
 */
public final class TraceCatalog {
    private static final double[] DURATION_PERCENTILES = {0, 1, 25, 50, 75, 99, 100};
    /** Parsed per-minute files, by path, size and modification time: a scenario names one file in many streams. */
    private static final Map<String, List<Row>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private TraceCatalog() {}

    /** One row of a per-minute file. */
    record Row(String hashFunction, String trigger, int[] counts, long total) {}

    /** The per-minute counts (minute 0 = 00:00 UTC) of the one function the pattern's prefix names. */
    public static int[] countsOf(Pattern.Trace t) {
        Row found = null;
        for (Row r : invocations(t.file())) {
            if (r.hashFunction().startsWith(t.function())) {
                if (found != null && !found.hashFunction().equals(r.hashFunction())) {
                    throw new ScenarioException(t.file() + ": function prefix " + t.function() + " is not unique: "
                            + found.hashFunction() + " and " + r.hashFunction() + " both start with it");
                }
                found = r;
            }
        }
        if (found == null) throw new ScenarioException(t.file() + ": no function whose HashFunction starts with " + t.function());
        return found.counts().clone();
    }

    /** Samples the trace functions and adds each, with its trace stream, to the scenario's lists. */
    public static void addTraceFunctions(TraceFunctions tf, List<FunctionDef> defs, List<WorkloadStream> workload,
                                  Map<String, int[]> countsByKey) {
        Set<String> taken = new HashSet<>();
        for (FunctionDef d : defs) taken.add(d.name());
        // rows the scenario already replays under a name of its own (an injection's target with its own stream)
        List<String> replayed = new ArrayList<>();
        for (WorkloadStream w : workload) {
            if (w.pattern() instanceof Pattern.Trace t && t.file().equals(tf.file())) replayed.add(t.function());
        }
        List<Row> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Row r : invocations(tf.file())) {
            if (r.total() < tf.minPerDay() || taken.contains(nameOf(r)) || !seen.add(nameOf(r))) continue;
            if (replayed.stream().anyMatch(r.hashFunction()::startsWith)) continue;
            candidates.add(r);
        }
        SplittableRandom random = new SplittableRandom(tf.seed());
        int n = Math.min(tf.count(), candidates.size());
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(candidates.size() - i);
            Row tmp = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, tmp);
        }
        Map<String, Distribution> durations = tf.durations() == null ? Map.of() : durations(tf.durations());
        Map<String, Integer> memory = tf.memory() == null ? Map.of() : memory(tf.memory());
        for (Row r : candidates.subList(0, n)) {
            String name = nameOf(r);
            Distribution exec = durations.getOrDefault(r.hashFunction(), new Distribution.LogNormal(200, 5000));
            int mem = memory.getOrDefault(r.hashFunction(), 256);
            defs.add(new FunctionDef(name, "trace", "trace", mem, 600, null, new Distribution.LogNormal(300, 1500), exec,
                    0, 0, null));
            Pattern.Trace pattern = new Pattern.Trace(tf.file(), r.hashFunction(), 1);
            workload.add(new WorkloadStream(name, triggerOf(r.trigger()), "trace", pattern, null, null));
            countsByKey.put(pattern.file() + "#" + pattern.function(), r.counts());
        }
    }

    static String nameOf(Row r) { return "t-" + r.hashFunction().substring(0, Math.min(8, r.hashFunction().length())); }

    private static String triggerOf(String t) {
        if (t == null) return "sdk";
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "http" -> "http";
            case "timer" -> "schedule";
            case "queue" -> "queue";
            case "event", "storage" -> "event";
            case "orchestration" -> "chain";
            default -> "sdk";
        };
    }

    static List<Row> invocations(Path file) {
        String key;
        try {
            key = file.toAbsolutePath().normalize() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Row> cached = PARSED.get(key);
        if (cached != null) return cached;
        List<Row> rows = read(file);
        if (PARSED.size() > 8) PARSED.clear();
        PARSED.put(key, rows);
        return rows;
    }

    private static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        InvocationColumns[] layout = new InvocationColumns[1];
        readTable(file, cols -> layout[0] = InvocationColumns.of(file, cols),
                (cols, f, lineNo) -> rows.add(layout[0].row(file, cols, f, lineNo)));
        return List.copyOf(rows);
    }

    /** Where an invocations file keeps the function, the trigger and each minute of the day. */
    private record InvocationColumns(int function, int trigger, int[] minuteOf) {
        static InvocationColumns of(Path file, String[] cols) {
            int fnCol = -1;
            int triggerCol = -1;
            int[] minuteOf = new int[cols.length];
            for (int i = 0; i < cols.length; i++) {
                String c = cols[i].trim();
                minuteOf[i] = -1;
                if (c.equals("HashFunction")) fnCol = i;
                else if (c.equals("Trigger")) triggerCol = i;
                else {
                    String digits = c.endsWith("_minute") ? c.substring(0, c.length() - "_minute".length()) : c;
                    if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
                        int m = Integer.parseInt(digits);
                        if (m >= 1 && m <= 1440) minuteOf[i] = m - 1;
                    }
                }
            }
            if (fnCol < 0) throw new ScenarioException(file + ":1: no HashFunction column");
            return new InvocationColumns(fnCol, triggerCol, minuteOf);
        }

        Row row(Path file, String[] cols, String[] f, int lineNo) {
            int[] counts = new int[1440];
            long total = 0;
            for (int i = 0; i < f.length; i++) {
                if (minuteOf[i] < 0) continue;
                try {
                    int v = (int) Math.round(Double.parseDouble(f[i].trim()));
                    if (v < 0) throw new NumberFormatException("negative");
                    counts[minuteOf[i]] = v;
                    total += v;
                } catch (NumberFormatException e) {
                    throw new ScenarioException(file + ":" + lineNo + ": column " + cols[i] + ": not a count: \"" + f[i] + "\"");
                }
            }
            return new Row(f[function].trim().toLowerCase(Locale.ROOT), trigger < 0 ? null : f[trigger].trim(), counts, total);
        }
    }

    private static Map<String, Distribution> durations(Path file) {
        Map<String, Distribution> out = new HashMap<>();
        readTable(file, (cols, f, lineNo) -> {
            double[] values = new double[DURATION_PERCENTILES.length];
            double[] probs = new double[DURATION_PERCENTILES.length];
            for (int k = 0; k < DURATION_PERCENTILES.length; k++) {
                String col = "percentile_Average_" + (int) DURATION_PERCENTILES[k];
                values[k] = number(file, lineNo, col, f[column(file, cols, col)]);
                if (k > 0) values[k] = Math.max(values[k], values[k - 1]);
                probs[k] = DURATION_PERCENTILES[k] / 100;
            }
            out.put(f[column(file, cols, "HashFunction")].trim().toLowerCase(Locale.ROOT), new Distribution.Piecewise(probs, values));
        });
        return out;
    }

    private static Map<String, Integer> memory(Path file) {
        Map<String, Integer> out = new HashMap<>();
        readTable(file, (cols, f, lineNo) -> {
            double mb = number(file, lineNo, "AverageAllocatedMb", f[column(file, cols, "AverageAllocatedMb")]);
            out.put(f[column(file, cols, "HashFunction")].trim().toLowerCase(Locale.ROOT),
                    (int) Math.max(128, Math.ceil(mb / 128) * 128));
        });
        return out;
    }

    private interface RowHandler {
        void row(String[] cols, String[] fields, int lineNo);
    }

    private static void readTable(Path file, RowHandler handler) {
        readTable(file, cols -> { }, handler);
    }

    /** Reads a CSV table: the header to {@code header}, then each row, checked for its column count. */
    private static void readTable(Path file, java.util.function.Consumer<String[]> header, RowHandler handler) {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String first = in.readLine();
            if (first == null) throw new ScenarioException(file + ":1: empty file");
            String[] cols = first.split(",", -1);
            header.accept(cols);
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split(",", -1);
                if (f.length != cols.length) {
                    throw new ScenarioException(file + ":" + lineNo + ": " + f.length + " columns, the header has " + cols.length);
                }
                handler.row(cols, f, lineNo);
            }
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int column(Path file, String[] cols, String name) {
        for (int i = 0; i < cols.length; i++) {
            if (cols[i].trim().equals(name)) return i;
        }
        throw new ScenarioException(file + ":1: no " + name + " column");
    }

    private static double number(Path file, int lineNo, String col, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ScenarioException(file + ":" + lineNo + ": column " + col + ": not a number: \"" + v + "\"");
        }
    }
}
