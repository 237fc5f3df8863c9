package dev.wisp.bench.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a scenario file strictly: every object may hold only the fields SCHEMA.md gives it, required
 * fields must be there and values must make sense. Errors read
 * {@code paper-c.json: injections[0]: unknown field "ratePerSecnd"}.
 */
public final class ScenarioParser {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TRIGGERS = Set.of("sdk", "http", "event", "schedule", "queue", "chain");
    private static final Set<String> MODES = Set.of("sim", "live");

    private final String fileName;
    private final Path folder;

    private ScenarioParser(Path file) {
        this.fileName = file.getFileName().toString();
        Path parent = file.toAbsolutePath().getParent();
        this.folder = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    public static Scenario parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new ScenarioParser(file).parseText(text, file);
    }

    /** Parses scenario JSON as if read from {@code file} (which names errors and anchors trace paths). */
    public static Scenario parse(String json, Path file) {
        return new ScenarioParser(file).parseText(json, file);
    }

    private Scenario parseText(String text, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(fileName + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || !root.isObject()) throw new ScenarioException(fileName + ": must hold one JSON object");
        Obj o = new Obj(root, "");
        o.only("name", "description", "modes", "seed", "startTime", "durationSeconds", "historyDays", "platform",
                "functions", "workload", "injections", "benign", "expect", "traceFunctions");
        String name = o.str("name");
        String description = o.optStr("description", "");
        List<String> modes = List.of("sim", "live");
        if (o.has("modes")) {
            modes = new ArrayList<>();
            for (Item it : o.arr("modes")) {
                String m = it.text();
                if (!MODES.contains(m)) throw it.error("unknown mode \"" + m + "\" (expected sim or live)");
                modes.add(m);
            }
            if (modes.isEmpty()) throw o.error("\"modes\" must name at least one mode");
        }
        long seed = o.longValue("seed");
        Instant start = o.instant("startTime");
        double duration = o.positive("durationSeconds");
        double history = o.optNonNegative("historyDays", 0);
        PlatformSettings platform = o.has("platform") ? platform(o.obj("platform")) : PlatformSettings.DEFAULTS;
        List<FunctionDef> functions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Item it : o.arr("functions")) {
            FunctionDef f = function(it.obj());
            if (!names.add(f.name())) throw it.error("function \"" + f.name() + "\" is defined twice");
            functions.add(f);
        }
        TraceFunctions traces = o.has("traceFunctions") ? traceFunctions(o.obj("traceFunctions"), seed) : null;
        List<WorkloadStream> workload = new ArrayList<>();
        for (Item it : o.arr("workload")) {
            Obj w = it.obj();
            w.only("function", "trigger", "source", "pattern", "startSecond", "durationSeconds");
            workload.add(new WorkloadStream(functionRef(w, "function", names, traces), trigger(w, "trigger"),
                    w.str("source"), pattern(w.obj("pattern")), w.optNum("startSecond"), w.optPositiveOrNull("durationSeconds")));
            w.done();
        }
        List<Injection> injections = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Item it : o.optArr("injections")) {
            Injection inj = injection(it.obj(), names, traces);
            if (!ids.add(inj.id())) throw it.error("id \"" + inj.id() + "\" is used twice");
            injections.add(inj);
        }
        List<BenignEvent> benign = new ArrayList<>();
        for (Item it : o.optArr("benign")) {
            BenignEvent b = benign(it.obj(), names, traces);
            if (!ids.add(b.id())) throw it.error("id \"" + b.id() + "\" is used twice");
            benign.add(b);
        }
        Expect expect = Expect.DEFAULTS;
        if (o.has("expect")) {
            Obj e = o.obj("expect");
            e.only("maxDelaySeconds");
            expect = new Expect(e.optNonNegative("maxDelaySeconds", Expect.DEFAULTS.maxDelaySeconds()));
            e.done();
        }
        o.done();
        return new Scenario(name, description, modes, seed, start, duration, history, platform, functions, workload,
                injections, benign, expect, traces, file);
    }

    private PlatformSettings platform(Obj p) {
        p.only("keepAliveSeconds", "maxInstancesPerFunction", "accountConcurrency", "hostCpuMillicores", "prewarmPool");
        PlatformSettings d = PlatformSettings.DEFAULTS;
        PlatformSettings s = new PlatformSettings(p.optPositive("keepAliveSeconds", d.keepAliveSeconds()),
                p.optPositiveInt("maxInstancesPerFunction", d.maxInstancesPerFunction()),
                p.optPositiveInt("accountConcurrency", d.accountConcurrency()),
                p.optPositive("hostCpuMillicores", d.hostCpuMillicores()),
                p.optNonNegativeInt("prewarmPool", d.prewarmPool()));
        p.done();
        return s;
    }

    private FunctionDef function(Obj f) {
        f.only("name", "runtime", "role", "memoryMb", "timeoutSeconds", "reservedConcurrency", "initMs", "execMs",
                "cpuMillicores", "errorRate", "location");
        String name = f.str("name");
        if (name.isBlank()) throw f.error("\"name\" must not be blank");
        FunctionDef def = new FunctionDef(name, f.str("runtime"), f.str("role"), f.positiveInt("memoryMb"),
                f.positiveInt("timeoutSeconds"), f.has("reservedConcurrency") ? f.nonNegativeInt("reservedConcurrency") : null,
                dist(f.obj("initMs")), dist(f.obj("execMs")), f.optNonNegative("cpuMillicores", 0),
                f.optFraction("errorRate", 0), f.optStr("location", null));
        f.done();
        return def;
    }

    private TraceFunctions traceFunctions(Obj t, long scenarioSeed) {
        t.only("file", "count", "seed", "durations", "memory", "minPerDay");
        TraceFunctions tf = new TraceFunctions(t.path("file"), t.positiveInt("count"),
                t.has("seed") ? t.longValue("seed") : scenarioSeed,
                t.has("durations") ? t.path("durations") : null, t.has("memory") ? t.path("memory") : null,
                t.optPositiveInt("minPerDay", 1));
        t.done();
        return tf;
    }

    private Injection injection(Obj o, Set<String> names, TraceFunctions traces) {
        o.only("id", "type", "label", "startSecond", "durationSeconds", "function", "ratePerSecond", "source", "sources",
                "repeat", "burstRatePerSecond", "burstSeconds", "idleSeconds", "cycles", "errorRate", "addedLatencyMs",
                "cpuMillicores", "execMs", "trigger", "dispatchCapacityFactor");
        String id = o.str("id");
        String type = o.str("type");
        if (!Injection.TYPES.contains(type)) {
            throw o.error("unknown injection type \"" + type + "\" (expected one of " + sorted(Injection.TYPES) + ")");
        }
        String label = o.str("label");
        double start = o.num("startSecond");
        double duration = o.positive("durationSeconds");
        Injection.Fields fields = Injection.fieldsOf(type);
        Set<String> allowed = new LinkedHashSet<>(fields.required());
        allowed.addAll(fields.optional());
        for (String f : Set.of("function", "ratePerSecond", "source", "sources", "repeat", "burstRatePerSecond",
                "burstSeconds", "idleSeconds", "cycles", "errorRate", "addedLatencyMs", "cpuMillicores", "execMs",
                "trigger", "dispatchCapacityFactor")) {
            if (o.has(f) && !allowed.contains(f)) {
                throw o.error("field \"" + f + "\" does not apply to type " + type + " (its fields: " + allowed + ")");
            }
        }
        for (String f : fields.required()) {
            if (!o.has(f)) throw o.error("missing field \"" + f + "\" (required for type " + type + ")");
        }
        Injection.Repeat repeat = null;
        if (o.has("repeat")) {
            Obj r = o.obj("repeat");
            r.only("count", "gapSeconds");
            repeat = new Injection.Repeat(r.positiveInt("count"), dist(r.obj("gapSeconds")));
            r.done();
        }
        Double factor = o.has("dispatchCapacityFactor") ? o.fraction("dispatchCapacityFactor") : null;
        if (factor != null && factor <= 0) throw o.error("\"dispatchCapacityFactor\" must be above 0");
        Injection inj = new Injection(id, type, label, start, duration,
                o.has("function") ? functionRef(o, "function", names, traces) : null,
                o.has("ratePerSecond") ? o.positive("ratePerSecond") : null,
                o.has("source") ? o.str("source") : null,
                o.has("sources") ? o.positiveInt("sources") : null,
                repeat,
                o.has("burstRatePerSecond") ? o.positive("burstRatePerSecond") : null,
                o.has("burstSeconds") ? o.positive("burstSeconds") : null,
                o.has("idleSeconds") ? o.nonNegative("idleSeconds") : null,
                o.has("cycles") ? o.positiveInt("cycles") : null,
                o.has("errorRate") ? o.fraction("errorRate") : null,
                o.has("addedLatencyMs") ? dist(o.obj("addedLatencyMs")) : null,
                o.has("cpuMillicores") ? o.positive("cpuMillicores") : null,
                o.has("execMs") ? dist(o.obj("execMs")) : null,
                o.has("trigger") ? trigger(o, "trigger") : null,
                factor);
        o.done();
        return inj;
    }

    private BenignEvent benign(Obj o, Set<String> names, TraceFunctions traces) {
        o.only("id", "startSecond", "durationSeconds", "recurs", "function", "trigger", "source", "pattern");
        String recurs = o.optStr("recurs", null);
        if (recurs != null && !recurs.equals("daily") && !recurs.equals("weekly")) {
            throw o.error("\"recurs\" must be daily or weekly, not \"" + recurs + "\"");
        }
        BenignEvent b = new BenignEvent(o.str("id"), o.num("startSecond"), o.positive("durationSeconds"), recurs,
                functionRef(o, "function", names, traces), trigger(o, "trigger"), o.str("source"), pattern(o.obj("pattern")));
        o.done();
        return b;
    }

    private Distribution dist(Obj d) {
        String kind = d.str("dist");
        switch (kind) {
            case "const" -> d.only("dist", "value");
            case "normal" -> d.only("dist", "mean", "sd");
            case "lognormal" -> d.only("dist", "median", "p99");
            case "uniform" -> d.only("dist", "min", "max");
            default -> { } // reported below
        }
        Distribution out = switch (kind) {
            case "const" -> new Distribution.Const(d.nonNegative("value"));
            case "normal" -> new Distribution.Normal(d.nonNegative("mean"), d.nonNegative("sd"));
            case "lognormal" -> {
                double median = d.positive("median");
                double p99 = d.positive("p99");
                if (p99 < median) throw d.error("\"p99\" (" + p99 + ") must not be below \"median\" (" + median + ")");
                yield new Distribution.LogNormal(median, p99);
            }
            case "uniform" -> {
                double min = d.nonNegative("min");
                double max = d.nonNegative("max");
                if (max < min) throw d.error("\"max\" (" + max + ") must not be below \"min\" (" + min + ")");
                yield new Distribution.Uniform(min, max);
            }
            default -> throw d.error("unknown dist \"" + kind + "\" (expected const, normal, lognormal or uniform)");
        };
        d.done();
        return out;
    }

    private Pattern pattern(Obj p) {
        String type = p.str("type");
        switch (type) {
            case "poisson", "constant" -> p.only("type", "ratePerSecond");
            case "diurnal" -> p.only("type", "ratePerSecond", "amplitude", "peakHours", "weekendFactor");
            case "sporadic" -> p.only("type", "burstsPerHour", "burstSeconds", "burstRatePerSecond");
            case "schedule" -> p.only("type", "everySeconds");
            case "trace" -> p.only("type", "file", "function", "scale");
            default -> { } // reported below
        }
        Pattern out = switch (type) {
            case "poisson" -> new Pattern.Poisson(p.nonNegative("ratePerSecond"));
            case "constant" -> new Pattern.Constant(p.nonNegative("ratePerSecond"));
            case "diurnal" -> {
                double rate = p.nonNegative("ratePerSecond");
                double amplitude = p.fraction("amplitude");
                List<Double> peaks = new ArrayList<>();
                for (Item it : p.arr("peakHours")) {
                    double h = it.number();
                    if (h < 0 || h >= 24) throw it.error("peak hour " + h + " is not in [0, 24)");
                    peaks.add(h);
                }
                if (peaks.isEmpty()) throw p.error("\"peakHours\" must name at least one hour");
                Double weekend = p.has("weekendFactor") ? p.nonNegative("weekendFactor") : null;
                yield new Pattern.Diurnal(rate, amplitude, peaks, weekend);
            }
            case "sporadic" -> new Pattern.Sporadic(p.nonNegative("burstsPerHour"), p.positive("burstSeconds"),
                    p.nonNegative("burstRatePerSecond"));
            case "schedule" -> new Pattern.Schedule(p.positive("everySeconds"));
            case "trace" -> {
                Path file = p.path("file");
                String fn = p.str("function");
                if (fn.length() < 8 || !fn.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw p.error("\"function\" must be at least 8 hex digits of HashFunction, not \"" + fn + "\"");
                }
                yield new Pattern.Trace(file, fn.toLowerCase(java.util.Locale.ROOT), p.optNonNegative("scale", 1));
            }
            default -> throw p.error("unknown pattern type \"" + type
                    + "\" (expected poisson, constant, diurnal, sporadic, schedule or trace)");
        };
        p.done();
        return out;
    }

    private String functionRef(Obj o, String field, Set<String> names, TraceFunctions traces) {
        String name = o.str(field);
        if (names.contains(name)) return name;
        // trace functions are named when the trace is read; their names start with t-
        if (traces != null && name.startsWith("t-")) return name;
        throw o.error("\"" + field + "\" names unknown function \"" + name + "\"");
    }

    private String trigger(Obj o, String field) {
        String t = o.str(field);
        if (!TRIGGERS.contains(t)) throw o.error("unknown trigger \"" + t + "\" (expected one of " + sorted(TRIGGERS) + ")");
        return t;
    }

    private static List<String> sorted(Set<String> s) { return s.stream().sorted().toList(); }

    // ---- strict field access ----

    /** An element of a JSON array, with its place for error messages. */
    private final class Item {
        final JsonNode node;
        final String where;

        Item(JsonNode node, String where) {
            this.node = node;
            this.where = where;
        }

        Obj obj() {
            if (!node.isObject()) throw error("must be an object");
            return new Obj(node, where);
        }

        String text() {
            if (!node.isTextual()) throw error("must be a string");
            return node.asText();
        }

        double number() {
            if (!node.isNumber()) throw error("must be a number");
            return node.asDouble();
        }

        ScenarioException error(String message) {
            return new ScenarioException(fileName + ": " + where + ": " + message);
        }
    }

    /** A JSON object whose fields are taken one by one; {@link #done()} rejects whatever is left. */
    private final class Obj {
        final JsonNode node;
        final String where;
        final Set<String> taken = new HashSet<>();

        Obj(JsonNode node, String where) {
            this.node = node;
            this.where = where;
        }

        ScenarioException error(String message) {
            return new ScenarioException(fileName + ": " + (where.isEmpty() ? "" : where + ": ") + message);
        }

        private String at(String field) { return where.isEmpty() ? field : where + "." + field; }

        boolean has(String field) {
            JsonNode v = node.get(field);
            return v != null && !v.isNull();
        }

        private JsonNode get(String field) {
            taken.add(field);
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) throw error("missing field \"" + field + "\"");
            return v;
        }

        String str(String field) {
            JsonNode v = get(field);
            if (!v.isTextual()) throw error("\"" + field + "\" must be a string");
            return v.asText();
        }

        String optStr(String field, String otherwise) { return has(field) ? str(field) : mark(field, otherwise); }

        private <T> T mark(String field, T value) {
            taken.add(field);
            return value;
        }

        Path path(String field) {
            String s = str(field);
            if (s.isBlank()) throw error("\"" + field + "\" must not be blank");
            return folder.resolve(s).normalize();
        }

        double num(String field) {
            JsonNode v = get(field);
            if (!v.isNumber()) throw error("\"" + field + "\" must be a number");
            double d = v.asDouble();
            if (!Double.isFinite(d)) throw error("\"" + field + "\" must be finite");
            return d;
        }

        Double optNum(String field) { return has(field) ? (Double) num(field) : mark(field, null); }

        double nonNegative(String field) {
            double d = num(field);
            if (d < 0) throw error("\"" + field + "\" must not be negative (got " + d + ")");
            return d;
        }

        double positive(String field) {
            double d = num(field);
            if (d <= 0) throw error("\"" + field + "\" must be above 0 (got " + d + ")");
            return d;
        }

        double fraction(String field) {
            double d = num(field);
            if (d < 0 || d > 1) throw error("\"" + field + "\" must be in [0, 1] (got " + d + ")");
            return d;
        }

        double optNonNegative(String field, double otherwise) { return has(field) ? nonNegative(field) : mark(field, otherwise); }

        double optPositive(String field, double otherwise) { return has(field) ? positive(field) : mark(field, otherwise); }

        Double optPositiveOrNull(String field) { return has(field) ? (Double) positive(field) : mark(field, null); }

        double optFraction(String field, double otherwise) { return has(field) ? fraction(field) : mark(field, otherwise); }

        long longValue(String field) {
            JsonNode v = get(field);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) throw error("\"" + field + "\" must be an integer");
            return v.asLong();
        }

        int intValue(String field) {
            JsonNode v = get(field);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) throw error("\"" + field + "\" must be an integer");
            return v.asInt();
        }

        int positiveInt(String field) {
            int i = intValue(field);
            if (i <= 0) throw error("\"" + field + "\" must be above 0 (got " + i + ")");
            return i;
        }

        int nonNegativeInt(String field) {
            int i = intValue(field);
            if (i < 0) throw error("\"" + field + "\" must not be negative (got " + i + ")");
            return i;
        }

        int optPositiveInt(String field, int otherwise) { return has(field) ? positiveInt(field) : mark(field, otherwise); }

        int optNonNegativeInt(String field, int otherwise) { return has(field) ? nonNegativeInt(field) : mark(field, otherwise); }

        Instant instant(String field) {
            String s = str(field);
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw error("\"" + field + "\" must be an ISO-8601 instant such as 2026-03-03T10:00:00Z, not \"" + s + "\"");
            }
        }

        Obj obj(String field) {
            JsonNode v = get(field);
            if (!v.isObject()) throw error("\"" + field + "\" must be an object");
            return new Obj(v, at(field));
        }

        List<Item> arr(String field) {
            JsonNode v = get(field);
            if (!v.isArray()) throw error("\"" + field + "\" must be an array");
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) out.add(new Item(v.get(i), at(field) + "[" + i + "]"));
            return out;
        }

        List<Item> optArr(String field) { return has(field) ? arr(field) : mark(field, List.of()); }

        /** Rejects, before anything else is read, every field not named here. */
        void only(String... fields) {
            Set<String> known = Set.of(fields);
            var it = node.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!known.contains(f)) throw error("unknown field \"" + f + "\"");
            }
        }

        /** Rejects every field nobody asked for: a typo must not pass silently. */
        void done() {
            var it = node.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!taken.contains(f)) throw error("unknown field \"" + f + "\"");
            }
        }
    }
}
