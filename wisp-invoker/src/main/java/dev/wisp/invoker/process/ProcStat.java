package dev.wisp.invoker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Readings from /proc: CPU time of processes and of the host, host memory. Linux only; zero elsewhere. */
final class ProcStat {
    /** Clock ticks per second for /proc times; 100 on every Linux this runs on. */
    static final long TICKS = 100;

    private ProcStat() {}

    /**
     * CPU time of every process tree rooted at the given pids, in clock ticks, from one pass over
     * /proc (walking each instance's descendants separately would scan /proc once per instance).
     */
    static java.util.Map<Long, Long> treeTicks(java.util.Collection<Long> roots) {
        java.util.Map<Long, Long> parent = new java.util.HashMap<>();
        java.util.Map<Long, Long> own = new java.util.HashMap<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    // fields after the command name, which is in parentheses and may contain spaces
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    parent.put(pid, Long.parseLong(f[1]));
                    own.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // exited while we looked
                }
            }
        } catch (IOException e) {
            return java.util.Map.of();
        }
        java.util.Map<Long, Long> rootOf = new java.util.HashMap<>();
        java.util.Set<Long> rootSet = new java.util.HashSet<>(roots);
        java.util.Map<Long, Long> total = new java.util.HashMap<>();
        for (Long pid : own.keySet()) {
            Long root = findRoot(pid, parent, rootSet, rootOf, 0);
            if (root != null) total.merge(root, own.get(pid), Long::sum);
        }
        return total;
    }

    private static Long findRoot(Long pid, java.util.Map<Long, Long> parent, java.util.Set<Long> roots,
                                 java.util.Map<Long, Long> memo, int depth) {
        if (roots.contains(pid)) return pid;
        if (memo.containsKey(pid)) return memo.get(pid);
        Long p = parent.get(pid);
        Long root = p == null || p <= 1 || depth > 64 ? null : findRoot(p, parent, roots, memo, depth + 1);
        memo.put(pid, root);
        return root;
    }

    /** Resident set size of one process in bytes, or 0. */
    static long rssBytes(long pid) {
        try {
            String[] statm = Files.readString(Path.of("/proc", Long.toString(pid), "statm")).trim().split(" ");
            return Long.parseLong(statm[1]) * 4096L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Host CPU: {busy, total} jiffies since boot. */
    static long[] hostCpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Host memory in use (MemTotal - MemAvailable), bytes. */
    static long hostMemoryUsed() {
        try {
            long total = 0;
            long available = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) total = kib(line);
                if (line.startsWith("MemAvailable:")) available = kib(line);
            }
            return (total - available) * 1024;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long kib(String line) {
        List<String> parts = List.of(line.trim().split("\\s+"));
        return Long.parseLong(parts.get(1));
    }
}
