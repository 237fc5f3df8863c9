package dev.wisp.detect.logs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small Drain-like log template miner. A message is split on whitespace; tokens that carry digits
 * (ids, numbers, addresses, durations) become the wildcard {@code <*>}; messages with the same token
 * count and the same first token are grouped, and a message joins the most similar template of its
 * group when at least half its tokens match (differing positions turn into wildcards), else it starts
 * a new template. Bounded: at most {@code maxTemplates} templates (beyond that, lines fall into an
 * overflow template), at most 64 tokens per line considered.
 *
 * <p>Each template counts its lines per minute and keeps an exponentially weighted per-minute rate,
 * so callers can ask which templates are new or surging.
 */
public final class TemplateMiner {
    private static final int MAX_TOKENS = 64;
    private static final String WILD = "<*>";

    /** A template and its counters. */
    public static final class Template {
        final String[] tokens;
        final int id;
        final long firstSeenMinute;
        int thisMinute;
        double ewmaPerMinute;
        long minutesSeen;
        long total;
        String level;

        Template(int id, String[] tokens, long minute) {
            this.id = id;
            this.tokens = tokens;
            this.firstSeenMinute = minute;
        }

        public String text() { return String.join(" ", tokens); }

        public int thisMinute() { return thisMinute; }

        public double ewmaPerMinute() { return ewmaPerMinute; }

        public long firstSeenMinute() { return firstSeenMinute; }

        public long total() { return total; }

        public String level() { return level; }
    }

    /** A template that is new or surging in the minute just closed. */
    public record Finding(String template, String level, int count, double usualPerMinute, boolean isNew) {}

    private final int maxTemplates;
    private final Map<Long, List<Template>> groups = new HashMap<>();
    private final List<Template> all = new ArrayList<>();
    private Template overflow;
    private long currentMinute = Long.MIN_VALUE;
    private long minutesObserved;

    public TemplateMiner(int maxTemplates) {
        this.maxTemplates = Math.max(1, maxTemplates);
    }

    public int size() { return all.size(); }

    /** Adds one line; returns its template. Null or blank messages are ignored (null returned). */
    public Template add(long epochMillis, String level, String message) {
        if (message == null || message.isBlank()) return null;
        long minute = Math.floorDiv(epochMillis, 60_000L);
        if (currentMinute == Long.MIN_VALUE) currentMinute = minute;
        String[] toks = tokenize(message);
        if (toks.length == 0) return null;
        long key = ((long) toks.length << 32) ^ (toks[0].hashCode() & 0xffffffffL);
        List<Template> group = groups.get(key);
        Template best = null;
        double bestSim = -1;
        if (group != null) {
            for (Template t : group) {
                double s = similarity(t.tokens, toks);
                if (s > bestSim) { bestSim = s; best = t; }
            }
        }
        Template t;
        if (best != null && bestSim >= 0.5) {
            t = best;
            for (int i = 0; i < toks.length; i++) {
                if (!t.tokens[i].equals(toks[i]) && !t.tokens[i].equals(WILD)) t.tokens[i] = WILD;
            }
        } else if (all.size() < maxTemplates) {
            t = new Template(all.size(), toks, minute);
            all.add(t);
            groups.computeIfAbsent(key, k -> new ArrayList<>(2)).add(t);
        } else {
            if (overflow == null) overflow = new Template(-1, new String[] {"<other>"}, minute);
            t = overflow;
        }
        t.thisMinute++;
        t.total++;
        if (level != null && (t.level == null || rank(level) > rank(t.level))) t.level = level;
        return t;
    }

    /**
     * Closes the current minute: returns templates that are new (first seen this minute, after
     * {@code warmupMinutes} of observation, with at least {@code minNew} lines) or surging (at least
     * {@code minSurge} lines and ten times their usual rate), then rolls the counters.
     */
    public List<Finding> closeMinute(long warmupMinutes, int minNew, int minSurge) {
        List<Finding> out = new ArrayList<>(0);
        boolean warm = minutesObserved >= warmupMinutes;
        for (Template t : all) roll(t, warm, minNew, minSurge, out);
        if (overflow != null) roll(overflow, warm, minNew, minSurge, out);
        minutesObserved++;
        currentMinute++;
        return out;
    }

    private void roll(Template t, boolean warm, int minNew, int minSurge, List<Finding> out) {
        int c = t.thisMinute;
        if (warm && c > 0) {
            if (t.minutesSeen == 0 && c >= minNew) {
                out.add(new Finding(t.text(), t.level, c, 0, true));
            } else if (t.minutesSeen > 0 && c >= minSurge && c >= 10 * t.ewmaPerMinute + 5) {
                out.add(new Finding(t.text(), t.level, c, t.ewmaPerMinute, false));
            }
        }
        if (c > 0 || t.ewmaPerMinute > 1e-6) {
            double a = t.minutesSeen < 30 ? 1.0 / (t.minutesSeen + 1) : 0.02;
            t.ewmaPerMinute += a * (c - t.ewmaPerMinute);
        }
        if (c > 0) t.minutesSeen++;
        t.thisMinute = 0;
    }

    /** Whitespace-separated tokens, a token with a digit as the wildcard; by hand, as a regex split cost more than the mining. */
    static String[] tokenize(String message) {
        String m = message.trim();
        if (m.isEmpty()) return new String[] {""};
        String[] out = new String[MAX_TOKENS];
        int n = 0;
        int i = 0;
        int len = m.length();
        while (i < len && n < MAX_TOKENS) {
            int start = i;
            boolean digit = false;
            for (char c; i < len && !isSpace(c = m.charAt(i)); i++) {
                if (c >= '0' && c <= '9') digit = true;
            }
            out[n++] = digit ? WILD : m.substring(start, i);
            while (i < len && isSpace(m.charAt(i))) i++;
        }
        return n == MAX_TOKENS ? out : Arrays.copyOf(out, n);
    }

    /** What {@code \s} matches. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static double similarity(String[] a, String[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) if (a[i].equals(b[i]) || a[i].equals(WILD)) same++;
        return (double) same / a.length;
    }

    private static int rank(String level) {
        return switch (level.toUpperCase(java.util.Locale.ROOT)) {
            case "FATAL", "ERROR", "STDERR" -> 3;
            case "WARN", "WARNING" -> 2;
            case "INFO" -> 1;
            default -> 0;
        };
    }

    /** True for levels that mean something went wrong (error, fatal, stderr). */
    public static boolean isErrorLevel(String level) { return level != null && rank(level) >= 3; }
}
