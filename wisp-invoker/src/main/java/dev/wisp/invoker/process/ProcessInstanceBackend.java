package dev.wisp.invoker.process;

import dev.wisp.common.Clock;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.Instance;
import dev.wisp.invoker.InstanceBackend;
import dev.wisp.invoker.InvokerConfig;
import dev.wisp.invoker.runtimeapi.RuntimeApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final Optional<Path> nativeSandbox;
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("instance-spawner").daemon().unstarted(r));
    private final Map<String, ProcessInstance> live = new ConcurrentHashMap<>();
    /** The prewarm pool; null when prewarming is off or the sandbox (which specialisation needs) is unavailable. */
    private final StemCells stems;

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
            case NAMESPACES, NAMESPACES_SCRIPT -> true;
            case PROCESS -> false;
            case AUTO -> root && namespacesWork();
        };
        this.cgroups = root ? Cgroups.detect("wisp-" + ProcessHandle.current().pid()) : Optional.empty();
        // inside the sandbox the code, runtime files and scratch space are bind-mounted under /mnt, so the
        // unprivileged user needs no access to the host path of the data directory
        this.runAs = namespaces && root ? Integer.toString(NOBODY) : "-";
        this.nativeSandbox = namespaces && config.isolation() != InvokerConfig.Isolation.NAMESPACES_SCRIPT
                ? files.nativeSandbox() : Optional.empty();
        Thread.ofVirtual().name("java-cds-training").start(this::trainJavaArchive);
        this.stems = namespaces && config.prewarmMax() > 0 ? new StemCells(this, config.prewarmMax()) : null;
        LOG.info("instances: {}, memory limit {}, run as {}", namespaces ? "pid+mount namespaces" : "plain processes",
                cgroups.isPresent() ? "enforced by cgroup" : "not enforced", runAs.equals("-") ? "the server's user" : "nobody");
    }

    /** A one-line statement of how instances are isolated, for the server's start-up banner. */
    public String isolationSummary() {
        return (namespaces ? "pid+mount namespaces (" + (nativeSandbox.isPresent() ? "native sandbox" : "sandbox.sh")
                + "), read-only code, private /tmp, data directory hidden" : "plain processes")
                + (cgroups.isPresent() ? ", cgroup memory limit" : ", no memory limit")
                + (runAs.equals("-") ? "" : ", uid nobody")
                + (stems == null ? ", no prewarm pool" : ", prewarm pool of up to " + stems.max() + " stem cells");
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

    @Override
    public Instance start(FunctionSpec spec, String instanceId) {
        StemCells.Key key = StemCells.Key.of(spec, nativeSandbox.isPresent());
        if (stems != null && key != null) {
            ProcessInstance stem = stems.take(key);
            if (stem != null && specialize(stem, spec)) {
                stems.refill(key);
                return stem;
            }
            stems.refill(key);
        }
        return launch(instanceId, spec, false);
    }

    /** Starts a process: for its function, or (stem) a generic runtime waiting for one. */
    ProcessInstance launch(String instanceId, FunctionSpec spec, boolean stem) {
        ProcessInstance instance = new ProcessInstance(instanceId, spec, stem, clock, telemetry);
        String token = instance.runtimeToken();
        runtimeApi.register(token, instance);
        live.put(instanceId, instance);
        instance.exited().whenComplete((r, e) -> {
            runtimeApi.unregister(token);
            live.remove(instanceId);
        });
        try {
            spawner.submit(() -> spawn(instance, token, stem)).get();
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

    /**
     * Turns a stem cell into an instance of the function: pid 1 of its sandbox mounts the code
     * (told through a fifo, acknowledging on another), the memory limit is set, and the runtime,
     * blocked in {@code wisp/specialize}, receives the function's environment.
     */
    private boolean specialize(ProcessInstance stem, FunctionSpec spec) {
        Path dir = scratchRoot.resolve(stem.id());
        try {
            try (var ctl = Files.newOutputStream(dir.resolve("ctl")); var ack = Files.newInputStream(dir.resolve("ack"))) {
                var out = new java.io.ByteArrayOutputStream();
                out.write((spec.codeDir().getFileName() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (spec.runtime() == dev.wisp.invoker.RuntimeKind.PROVIDED) {
                    // the custom runtime starts now, so it gets its whole environment from pid 1
                    LambdaEnvironment.of(spec, stem.id(), runtimeApi.endpointFor(stem.runtimeToken()), InstanceLayout.SANDBOXED)
                            .forEach((k, v) -> out.writeBytes((k + "=" + v + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    out.write(0);
                }
                ctl.write(out.toByteArray());
                ctl.flush();
                byte[] answer = new byte[3];
                if (ack.read(answer) < 2 || answer[0] != 'o' || answer[1] != 'k') {
                    stem.kill("specialization failed");
                    return false;
                }
            }
            stem.cgroupLimit(spec.memoryMb());
        } catch (IOException e) {
            LOG.warn("stem cell {} could not be specialised: {}", stem.id(), e.toString());
            stem.kill("specialization failed");
            return false;
        }
        stem.specialize(spec, LambdaEnvironment.of(spec, stem.id(), "", InstanceLayout.SANDBOXED));
        return true;
    }

    private Void spawn(ProcessInstance instance, String token, boolean stem) throws IOException, InterruptedException {
        FunctionSpec spec = instance.spec();
        Path scratch = scratchRoot.resolve(instance.id());
        Files.createDirectories(scratch.resolve("tmp"));
        if (!runAs.equals("-")) {
            Files.setAttribute(scratch, "unix:uid", NOBODY);
            Files.setAttribute(scratch.resolve("tmp"), "unix:uid", NOBODY);
        }
        if (stem) {
            Process mk = new ProcessBuilder("mkfifo", "-m", "600", scratch.resolve("ctl").toString(), scratch.resolve("ack").toString()).start();
            if (mk.waitFor() != 0) throw new IOException("mkfifo failed");
        }
        Cgroups.Group group = cgroups.isPresent() ? cgroups.get().create(instance.id(), spec.memoryMb()) : null;
        InstanceLayout view = namespaces ? InstanceLayout.SANDBOXED
                : new InstanceLayout(spec.codeDir(), files.dir(), scratch.resolve("tmp"));
        if (!spec.networkAccess() && nativeSandbox.isEmpty()) {
            throw new IOException("cutting a function off the network (tag wisp:network=none) needs the native sandbox");
        }
        List<String> command = wrapper(group, stem ? "-" : spec.codeDir().toString(), scratch, spec.networkAccess());
        if (stem && spec.runtime() == dev.wisp.invoker.RuntimeKind.PROVIDED) {
            command.add("-"); // the native sandbox starts /mnt/task/bootstrap on specialisation
        } else {
            command.addAll(files.command(spec, view));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory((stem ? files.dir() : spec.codeDir()).toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(stem ? LambdaEnvironment.stem(instance.id(), runtimeApi.endpointFor(token), view)
                : LambdaEnvironment.of(spec, instance.id(), runtimeApi.endpointFor(token), view));
        Process process = pb.start();
        instance.attach(process, group);
        process.onExit().thenAccept(p -> {
            instance.onExit(p.exitValue());
            if (group != null) group.remove();
            deleteTree(scratch);
        });
        return null;
    }

    /**
     * The command prefix every instance starts with: the parent-death signal, then the sandbox
     * (cgroup, namespaces, filesystem view, user) or, without namespaces, just the cgroup.
     */
    private List<String> wrapper(Cgroups.Group group, String codeArg, Path scratch, boolean network) {
        String net = network ? "net" : "nonet:" + runtimeApi.port();
        if (namespaces && nativeSandbox.isPresent()) {
            // sets its own parent-death signal
            return new ArrayList<>(List.of(nativeSandbox.get().toString(), group == null ? "-" : group.procsFile().toString(),
                    dataDir.toString(), codeArg, files.dir().toString(), scratch.resolve("tmp").toString(), runAs, net));
        }
        List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        if (namespaces) {
            command.addAll(List.of("/bin/sh", files.sandboxScript().toString(),
                    group == null ? "-" : group.procsFile().toString(), dataDir.toString(), codeArg,
                    files.dir().toString(), scratch.resolve("tmp").toString(), runAs, net));
        } else if (group != null) {
            command.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", group.procsFile().toString()));
        }
        return command;
    }

    /**
     * Makes the java21 runtime's ahead-of-time cache or class-data-sharing archive (once per set of runtime jars and JDK),
     * by a training run in the same sandbox and with the same class path instances use, so the
     * archive matches them. Runs in the background; until it exists, java instances start without it.
     */
    private void trainJavaArchive() {
        String stamp = Runtime.version() + " " + files.javaArchiveInputs();
        Path stampFile = files.dir().resolve(RuntimeFiles.JAVA_ARCHIVE + ".stamp");
        try {
            if (Files.isRegularFile(files.javaArchive()) && Files.isRegularFile(stampFile)
                    && Files.readString(stampFile).equals(stamp)) {
                return;
            }
            Files.deleteIfExists(files.javaArchive());
            Path scratch = scratchRoot.resolve("java-training");
            Path task = scratch.resolve("task");
            Files.createDirectories(scratch.resolve("tmp"));
            Files.createDirectories(task);
            if (!runAs.equals("-")) Files.setAttribute(scratch.resolve("tmp"), "unix:uid", NOBODY);
            InstanceLayout view = namespaces ? InstanceLayout.SANDBOXED : new InstanceLayout(task, files.dir(), scratch.resolve("tmp"));
            List<String> command = wrapper(null, task.toString(), scratch, true);
            command.addAll(files.javaTrainingCommand(view));
            ProcessBuilder pb = new ProcessBuilder(command).directory(task.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(LambdaEnvironment.stem("java-training", "", view));
            Process p = spawner.submit(pb::start).get();
            if (p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0
                    && Files.isRegularFile(scratch.resolve("tmp").resolve(RuntimeFiles.JAVA_ARCHIVE))) {
                Files.move(scratch.resolve("tmp").resolve(RuntimeFiles.JAVA_ARCHIVE), files.javaArchive(),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(files.javaArchive(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                Files.writeString(stampFile, stamp);
                LOG.info("java21 runtime {} ready", RuntimeFiles.AOT_CACHE ? "ahead-of-time cache" : "class-data archive");
            } else {
                p.destroyForcibly();
                LOG.warn("java21 class-data training run failed; java instances start without the archive");
            }
            deleteTree(scratch);
        } catch (Exception e) {
            LOG.warn("java21 class-data training run failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (stems != null) stems.close();
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

    /** Instances alive now (stem cells included), for the resource sampler. */
    java.util.Collection<ProcessInstance> liveInstances() { return List.copyOf(live.values()); }
}
