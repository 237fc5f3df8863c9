package dev.wisp.invoker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory cgroups for instances, nested under the server's own cgroup so the host's limits on Wisp
 * still bind its functions. Supports cgroup v1 (memory controller) and v2; absent when neither is
 * writable, in which case instances run without a hard memory limit.
 */
final class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);

    private final Path parent;
    private final boolean v2;

    private Cgroups(Path parent, boolean v2) {
        this.parent = parent;
        this.v2 = v2;
    }

    static Optional<Cgroups> detect(String name) {
        try {
            Path v1Root = Path.of("/sys/fs/cgroup/memory");
            if (Files.isDirectory(v1Root)) {
                return create(v1Root.resolve(ownPath("memory")).resolve(name), false);
            }
            Path v2Root = Path.of("/sys/fs/cgroup");
            if (Files.exists(v2Root.resolve("cgroup.controllers"))
                    && Files.readString(v2Root.resolve("cgroup.controllers")).contains("memory")) {
                return create(v2Root.resolve(ownPath("")).resolve(name), true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("memory cgroups unavailable ({}); instances run without a hard memory limit", e.toString());
        }
        return Optional.empty();
    }

    private static Optional<Cgroups> create(Path parent, boolean v2) throws IOException {
        Files.createDirectories(parent);
        if (v2) {
            Files.writeString(parent.resolve("cgroup.subtree_control"), "+memory");
        }
        Cgroups c = new Cgroups(parent, v2);
        c.removeStale();
        return Optional.of(c);
    }

    /** This process's cgroup path for a controller, relative to the hierarchy root. */
    private static String ownPath(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && (controller.isEmpty() ? parts[1].isEmpty()
                    : List.of(parts[1].split(",")).contains(controller))) {
                return parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            }
        }
        return "";
    }

    /** Leftovers from a server that was killed: empty cgroups can simply be removed. */
    private void removeStale() {
        try (var dirs = Files.list(parent)) {
            dirs.filter(Files::isDirectory).forEach(Cgroups::removeQuietly);
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    private static void removeQuietly(Path dir) {
        try {
            Files.delete(dir);
        } catch (IOException ignored) {
            // still has processes, or already gone
        }
    }

    Group create(String instanceId, int memoryMb) throws IOException {
        Path dir = parent.resolve(instanceId);
        Files.createDirectories(dir);
        Group g = new Group(dir, v2);
        if (v2) Files.writeString(dir.resolve("memory.swap.max"), "0");
        g.limit(memoryMb);
        return g;
    }

    /** One instance's cgroup. */
    record Group(Path dir, boolean v2) {
        Path procsFile() { return dir.resolve("cgroup.procs"); }

        /** Sets the limit; in v1 the swap limit must never be below the memory limit, so order matters. */
        void limit(int memoryMb) throws IOException {
            String bytes = Long.toString(memoryMb * 1024L * 1024L);
            if (v2) {
                Files.writeString(dir.resolve("memory.max"), bytes);
                return;
            }
            long current = readLong("memory.limit_in_bytes");
            boolean growing = Long.parseLong(bytes) > current;
            Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
            if (growing) writeQuietly(memsw, bytes);
            Files.writeString(dir.resolve("memory.limit_in_bytes"), bytes);
            if (!growing) writeQuietly(memsw, bytes);
        }

        private static void writeQuietly(Path file, String value) {
            try {
                Files.writeString(file, value);
            } catch (IOException ignored) {
                // swap accounting off: the plain limit is enough
            }
        }

        long peakBytes() {
            return readLong(v2 ? "memory.peak" : "memory.max_usage_in_bytes");
        }

        long usageBytes() {
            return readLong(v2 ? "memory.current" : "memory.usage_in_bytes");
        }

        /** Whether the kernel's OOM killer fired inside this group. */
        boolean oomKilled() {
            try {
                String file = v2 ? "memory.events" : "memory.oom_control";
                for (String line : Files.readAllLines(dir.resolve(file))) {
                    if (line.startsWith("oom_kill ") && Long.parseLong(line.substring(9).trim()) > 0) return true;
                }
                return !v2 && readLong("memory.failcnt") > 0 && usageBytes() == 0;
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        }

        private long readLong(String file) {
            try {
                return Long.parseLong(Files.readString(dir.resolve(file)).trim());
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }

        void remove() {
            for (int i = 0; i < 20 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                    return;
                } catch (IOException e) {
                    try {
                        Thread.sleep(25); // the kernel may still be tearing down the last task
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
