package dev.wisp.invoker.process;

import dev.wisp.common.Clock;
import dev.wisp.common.Ids;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.Instance;
import dev.wisp.invoker.InstanceBackend;
import dev.wisp.invoker.InvokerConfig;
import dev.wisp.invoker.runtimeapi.RuntimeApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts instances as child processes. Every process is spawned from one long-lived platform
 * thread with a parent-death signal, so if the server dies (even by SIGKILL) the kernel kills its
 * instances; inside the sandbox, pid 1 of the instance's pid namespace takes everything else down
 * with it.
 */
public final class ProcessInstanceBackend implements InstanceBackend {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessInstanceBackend.class);
    private static final int NOBODY = 65534;

    private final Clock clock;
    private final Consumer<Object> telemetry;
    private final RuntimeApiServer runtimeApi;
    private final RuntimeFiles files;
    private final Path scratchRoot;
    private final Path dataDir;
    private final boolean namespaces;
    private final Optional<Cgroups> cgroups;
    private final String runAs;
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("instance-spawner").daemon().unstarted(r));
    private final Map<String, ProcessInstance> live = new ConcurrentHashMap<>();

    public ProcessInstanceBackend(InvokerConfig config, Clock clock, Consumer<Object> telemetry) {
        this.clock = clock;
        this.telemetry = telemetry;
        this.runtimeApi = new RuntimeApiServer();
        this.files = new RuntimeFiles(config.dataDir());
        this.dataDir = config.dataDir().toAbsolutePath();
        this.scratchRoot = dataDir.resolve("instances");
        deleteTree(scratchRoot);
        boolean root = "root".equals(System.getProperty("user.name"));
        this.namespaces = switch (config.isolation()) {
            case NAMESPACES -> true;
            case PROCESS -> false;
            case AUTO -> root && namespacesWork();
        };
        this.cgroups = root ? Cgroups.detect("wisp-" + ProcessHandle.current().pid()) : Optional.empty();
        this.runAs = namespaces && root && worldReadable(config.dataDir()) ? Integer.toString(NOBODY) : "-";
        LOG.info("instances: {}, memory limit {}, run as {}", namespaces ? "pid+mount namespaces" : "plain processes",
                cgroups.isPresent() ? "enforced by cgroup" : "not enforced", runAs.equals("-") ? "the server's user" : "nobody");
    }

    /** A one-line statement of how instances are isolated, for the server's start-up banner. */
    public String isolationSummary() {
        return (namespaces ? "pid+mount namespaces, read-only code, private /tmp, data directory hidden" : "plain processes")
                + (cgroups.isPresent() ? ", cgroup memory limit" : ", no memory limit")
                + (runAs.equals("-") ? "" : ", uid nobody");
    }

    private static boolean namespacesWork() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount", "--propagation", "private",
                    "--mount-proc", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The unprivileged user can only run code it can reach: every ancestor must be world-traversable. */
    private static boolean worldReadable(Path dir) {
        try {
            for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    LOG.warn("{} is not world-traversable; instances run as the server's user", p);
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public Instance start(FunctionSpec spec, String instanceId) {
        ProcessInstance instance = new ProcessInstance(instanceId, spec, clock, telemetry);
        String token = Ids.token();
        runtimeApi.register(token, instance);
        live.put(instanceId, instance);
        instance.exited().whenComplete((r, e) -> {
            runtimeApi.unregister(token);
            live.remove(instanceId);
        });
        try {
            spawner.submit(() -> spawn(instance, token)).get();
        } catch (ExecutionException e) {
            String message = "Runtime failed to start: " + e.getCause().getMessage();
            instance.initError("Runtime.InvalidEntrypoint", ProcessInstance.errorJson("Runtime.InvalidEntrypoint", message));
            instance.onExit(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            instance.onExit(-1);
        }
        return instance;
    }

    private Void spawn(ProcessInstance instance, String token) throws IOException {
        FunctionSpec spec = instance.spec();
        Path scratch = scratchRoot.resolve(instance.id());
        Files.createDirectories(scratch.resolve("tmp"));
        if (!runAs.equals("-")) {
            Files.setAttribute(scratch, "unix:uid", NOBODY);
            Files.setAttribute(scratch.resolve("tmp"), "unix:uid", NOBODY);
        }
        Cgroups.Group group = cgroups.isPresent() ? cgroups.get().create(instance.id(), spec.memoryMb()) : null;
        List<String> command = new ArrayList<>();
        command.add("setpriv");
        command.add("--pdeathsig");
        command.add("KILL");
        command.add("--");
        InstanceLayout view = namespaces ? InstanceLayout.SANDBOXED
                : new InstanceLayout(spec.codeDir(), files.dir(), scratch.resolve("tmp"));
        if (namespaces) {
            command.add("/bin/sh");
            command.add(files.sandboxScript().toString());
            command.add(group == null ? "-" : group.procsFile().toString());
            command.add(dataDir.toString());
            command.add(spec.codeDir().toString());
            command.add(files.dir().toString());
            command.add(scratch.resolve("tmp").toString());
            command.add(runAs);
        } else if (group != null) {
            command.add("/bin/sh");
            command.add("-c");
            command.add("echo $$ > \"$0\" && exec \"$@\"");
            command.add(group.procsFile().toString());
        }
        command.addAll(files.command(spec, view));
        ProcessBuilder pb = new ProcessBuilder(command).directory(spec.codeDir().toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(LambdaEnvironment.of(spec, instance.id(), runtimeApi.endpointFor(token), view));
        Process process = pb.start();
        instance.attach(process, group);
        process.onExit().thenAccept(p -> {
            instance.onExit(p.exitValue());
            if (group != null) group.remove();
            deleteTree(scratch);
        });
        return null;
    }

    /** Instances currently alive, for diagnostics and tests. */
    public int liveCount() { return live.size(); }

    @Override
    public void close() {
        for (ProcessInstance i : List.copyOf(live.values())) {
            i.kill("shutdown");
        }
        for (ProcessInstance i : List.copyOf(live.values())) {
            try {
                i.exited().get(3, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort; the parent-death signal covers the rest
            }
        }
        runtimeApi.close();
        spawner.shutdownNow();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left for the next start's cleanup
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }

    Set<String> liveIds() { return live.keySet(); }
}
