package dev.wisp.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed Prometheus text scrape, queried the way PromQL's sum() would. */
record Scrape(List<Sample> samples, Map<String, String> types) {
    record Sample(String name, Map<String, String> labels, double value) {}

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new Scrape(samples, types);
    }

    /** Sum of the series of {@code name} whose labels include the given pairs; NaN when none match. */
    double sum(String name, String... labelPairs) {
        List<Sample> m = matching(name, labelPairs);
        return m.isEmpty() ? Double.NaN : m.stream().mapToDouble(Sample::value).sum();
    }

    List<Sample> matching(String name, String... labelPairs) {
        return samples.stream().filter(s -> s.name.equals(name) && has(s.labels, labelPairs)).toList();
    }

    private static boolean has(Map<String, String> labels, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) return false;
        }
        return true;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || brace > space) {
            return new Sample(line.substring(0, space), Map.of(), value(line.substring(space + 1)));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq);
            StringBuilder v = new StringBuilder();
            int j = eq + 2; // past ="
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char n = line.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else {
                    v.append(c);
                }
            }
            labels.put(key, v.toString());
            i = j + 1;
            if (line.charAt(i) == ',') i++;
        }
        return new Sample(line.substring(0, brace), labels, value(line.substring(i + 2)));
    }

    private static double value(String s) {
        String v = s.trim().split(" ")[0]; // a timestamp may follow
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }
}
