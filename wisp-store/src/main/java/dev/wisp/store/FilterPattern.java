package dev.wisp.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A CloudWatch Logs filter pattern for unstructured text. Matching is by substring and
 * case-sensitive, as in CloudWatch:
 * <ul>
 *   <li>{@code ERROR timeout}: every term must occur</li>
 *   <li>{@code "Task timed out"}: a phrase, matched as is ({@code \"} and {@code \\} escape inside it)</li>
 *   <li>{@code -healthcheck}: the term must not occur</li>
 *   <li>{@code ?ERROR ?WARN}: at least one of the ?-terms must occur</li>
 * </ul>
 * The kinds combine: {@code ?ERROR ?WARN -healthcheck db} needs "db", one of ERROR/WARN, and no
 * "healthcheck". JSON ({@code { $.x = 1 }}), space-delimited ({@code [a, b]}) and regular-expression
 * ({@code %re%}) patterns are not supported and are rejected, as is malformed quoting.
 *
 * @param allOf  terms that must all occur
 * @param anyOf  terms of which one must occur (none: no such condition)
 * @param noneOf terms that must not occur
 */
public record FilterPattern(List<String> allOf, List<String> anyOf, List<String> noneOf) {
    /** The empty pattern: matches every line. */
    public static final FilterPattern ALL = new FilterPattern(List.of(), List.of(), List.of());

    public FilterPattern {
        allOf = List.copyOf(allOf);
        anyOf = List.copyOf(anyOf);
        noneOf = List.copyOf(noneOf);
    }

    /**
     * @param pattern the pattern; null or blank matches everything
     * @throws IllegalArgumentException naming the problem and where it is
     */
    public static FilterPattern parse(String pattern) {
        if (pattern == null || pattern.isBlank()) return ALL;
        String p = pattern.strip();
        if (p.startsWith("{")) {
            throw new IllegalArgumentException("JSON filter patterns ({ $.field = value }) are not supported; "
                    + "use terms, \"quoted phrases\", -term and ?term");
        }
        if (p.startsWith("[")) {
            throw new IllegalArgumentException("space-delimited filter patterns ([field, ...]) are not supported; "
                    + "use terms, \"quoted phrases\", -term and ?term");
        }
        if (p.length() > 1 && p.startsWith("%") && p.endsWith("%")) {
            throw new IllegalArgumentException("regular-expression filter patterns (%...%) are not supported; "
                    + "use terms, \"quoted phrases\", -term and ?term");
        }
        return new Parser(pattern).parse();
    }

    public boolean isAll() { return allOf.isEmpty() && anyOf.isEmpty() && noneOf.isEmpty(); }

    public boolean matches(String text) {
        if (text == null) return isAll();
        for (String t : allOf) if (!text.contains(t)) return false;
        for (String t : noneOf) if (text.contains(t)) return false;
        if (anyOf.isEmpty()) return true;
        for (String t : anyOf) if (text.contains(t)) return true;
        return false;
    }

    /** One left-to-right pass; positions in messages are 1-based columns of the original pattern. */
    private static final class Parser {
        private final String s;
        private int i;
        private final List<String> all = new ArrayList<>();
        private final List<String> any = new ArrayList<>();
        private final List<String> none = new ArrayList<>();

        Parser(String s) { this.s = s; }

        FilterPattern parse() {
            while (true) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
                if (i == s.length()) return new FilterPattern(all, any, none);
                List<String> into = all;
                char c = s.charAt(i);
                if (c == '-' || c == '?') {
                    into = c == '-' ? none : any;
                    i++;
                    if (i == s.length() || Character.isWhitespace(s.charAt(i))) {
                        throw new IllegalArgumentException("'" + c + "' at column " + i + " must be followed by a term");
                    }
                }
                into.add(s.charAt(i) == '"' ? phrase() : term());
            }
        }

        private String phrase() {
            int open = i++;
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    if (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                        throw new IllegalArgumentException("expected a space after the phrase closed at column " + i);
                    }
                    if (out.isEmpty()) throw new IllegalArgumentException("empty phrase at column " + (open + 1));
                    return out.toString();
                }
                if (c == '\\' && i < s.length() && (s.charAt(i) == '"' || s.charAt(i) == '\\')) c = s.charAt(i++);
                out.append(c);
            }
            throw new IllegalArgumentException("unterminated quote at column " + (open + 1));
        }

        private String term() {
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                if (s.charAt(i) == '"') {
                    throw new IllegalArgumentException("quote inside a term at column " + (i + 1)
                            + "; quote the whole phrase instead");
                }
                i++;
            }
            return s.substring(start, i);
        }
    }
}
