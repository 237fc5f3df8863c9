package dev.wisp.invoker.process;

import com.amazonaws.services.lambda.runtime.Context;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.runtime.java.Bootstrap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files Wisp ships for its runtimes (the sandbox script, the Node and Python bootstraps, the
 * Java bootstrap's jars), laid out under the data directory where an unprivileged instance can read
 * them, and the command line that starts each runtime.
 */
final class RuntimeFiles {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuntimeFiles.class);

    /**
     * On JDK 25 and later the java21 runtime's classes go into an ahead-of-time cache (JEP 483/514:
     * classes loaded and linked, plus method profiles) instead of a class-data-sharing archive;
     * same training run, same class path. Instances run on the server's own JDK. Measured with
     * {@code MODES=prewarm0 bench/cold-start.sh}, back to back: java21 hello cold start p50 177 ms
     * against 293 ms with the archive. {@code -Dwisp.cds=true} on the server keeps the archive.
     */
    static final boolean AOT_CACHE = !Boolean.getBoolean("wisp.cds") && Runtime.version().feature() >= 25;
    static final String JAVA_ARCHIVE = AOT_CACHE ? "java-runtime.aot" : "java-runtime.jsa";
    /** The java21 runtime's class path, in order (the class-data archive is bound to it). */
    private static final List<String> JAVA_JARS = List.of("wisp-runtime-java", "aws-lambda-java-core", "jackson-jr-objects",
            "jackson-core", "jackson-databind", "jackson-annotations");

    private final Path dir;
    private final Path javaBin;

    RuntimeFiles(Path dataDir) {
        this.dir = dataDir.resolve("runtimes");
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Files.createDirectories(dir);
            for (String name : List.of("sandbox.sh", "bootstrap.py", "bootstrap.js", "wisp-sandbox.c")) {
                try (InputStream in = RuntimeFiles.class.getResourceAsStream("/dev/wisp/invoker/runtimes/" + name)) {
                    if (in == null) throw new IllegalStateException("missing runtime resource " + name);
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            copyJar(Bootstrap.class, "wisp-runtime-java.jar");
            copyJar(Context.class, "aws-lambda-java-core.jar");
            copyJar(com.fasterxml.jackson.databind.ObjectMapper.class, "jackson-databind.jar");
            copyJar(com.fasterxml.jackson.core.JsonFactory.class, "jackson-core.jar");
            copyJar(com.fasterxml.jackson.annotation.JsonProperty.class, "jackson-annotations.jar");
            copyJar(com.fasterxml.jackson.jr.ob.JSON.class, "jackson-jr-objects.jar");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out runtime files under " + dir, e);
        }
    }

    private void copyJar(Class<?> inJar, String name) throws IOException {
        try {
            Path source = Path.of(inJar.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = dir.resolve(name);
            if (Files.isRegularFile(target) && !Files.isSymbolicLink(target) && Files.isRegularFile(source)
                    && Files.mismatch(source, target) == -1) {
                return; // unchanged: keep its timestamp, which the class-data archive was made against
            }
            if (Files.isDirectory(source)) {
                // running from classes (an IDE): point at them directly
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, source);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    Path sandboxScript() { return dir.resolve("sandbox.sh"); }

    /**
     * The native sandbox, compiled here from its source on first use (a C compiler is part of this
     * machine kind); empty when it cannot be built, and then {@code sandbox.sh} does the same work.
     */
    Optional<Path> nativeSandbox() {
        Path binary = dir.resolve("wisp-sandbox");
        Path source = dir.resolve("wisp-sandbox.c");
        Path built = dir.resolve("wisp-sandbox.built.c");
        try {
            if (Files.isExecutable(binary) && Files.exists(built) && Files.mismatch(source, built) == -1) {
                return Optional.of(binary);
            }
            Path tmp = dir.resolve("wisp-sandbox.tmp");
            Process cc = new ProcessBuilder("cc", "-O2", "-o", tmp.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String out = new String(cc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (cc.waitFor() != 0) {
                LOG.warn("cannot build the native sandbox, using sandbox.sh: {}", out);
                return Optional.empty();
            }
            Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(source, built, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(binary);
        } catch (IOException e) {
            LOG.warn("cannot build the native sandbox ({}), using sandbox.sh", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What the java archive depends on besides the JDK: the runtime jars' sizes and times. */
    String javaArchiveInputs() {
        StringBuilder sb = new StringBuilder();
        for (String n : JAVA_JARS) {
            Path p = dir.resolve(n + ".jar");
            try {
                sb.append(n).append(':').append(Files.size(p)).append(':').append(Files.getLastModifiedTime(p).toMillis()).append(' ');
            } catch (IOException e) {
                sb.append(n).append(":missing ");
            }
        }
        return sb.toString();
    }

    /** The class-data-sharing archive of the java21 runtime, made by a training run. */
    Path javaArchive() { return dir.resolve(JAVA_ARCHIVE); }

    /** The command of the training run that writes the archive to {@code view.tmp()}. */
    List<String> javaTrainingCommand(InstanceLayout view) {
        List<String> cmd = javaCommand(view, 256, false);
        cmd.add(cmd.size() - 1, (AOT_CACHE ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + view.tmp().resolve(JAVA_ARCHIVE));
        cmd.add("--train");
        return cmd;
    }

    private List<String> javaCommand(InstanceLayout view, int memoryMb, boolean useArchive) {
        Path rt = view.runtimeDir();
        List<String> cmd = new ArrayList<>(List.of(javaBin.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-Xss512k", "-Xlog:disable",
                // a stem cell adopts its function's environment
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "-Xmx" + Math.max(16, memoryMb * 85 / 100) + "m"));
        if (useArchive && Files.isRegularFile(javaArchive())) {
            if (AOT_CACHE) {
                // a cache that does not match (another JDK build) is ignored, as -Xshare:auto does
                cmd.add("-XX:AOTCache=" + rt.resolve(JAVA_ARCHIVE));
            } else {
                cmd.add("-XX:SharedArchiveFile=" + rt.resolve(JAVA_ARCHIVE));
                cmd.add("-Xshare:auto");
            }
        }
        cmd.add("-cp");
        cmd.add(String.join(":", JAVA_JARS.stream().map(n -> rt.resolve(n + ".jar").toString()).toList()));
        cmd.add(Bootstrap.class.getName());
        return cmd;
    }

    Path dir() { return dir; }

    /** The command that starts the runtime for a function (before any sandbox wrapping), as the instance sees paths. */
    List<String> command(FunctionSpec spec, InstanceLayout view) {
        Path rt = view.runtimeDir();
        List<String> cmd = new ArrayList<>();
        switch (spec.runtime()) {
            case PROVIDED -> cmd.add(view.taskRoot().resolve("bootstrap").toString());
            case PYTHON -> {
                cmd.add(findExecutable("python3"));
                cmd.add(rt.resolve("bootstrap.py").toString());
            }
            case NODEJS -> {
                cmd.add(findExecutable("node"));
                cmd.add(rt.resolve("bootstrap.js").toString());
            }
            case JAVA -> cmd.addAll(javaCommand(view, spec.memoryMb(), true));
        }
        return cmd;
    }

    /** System interpreters first: a per-user install (pyenv, nvm) is unreadable to the instance user. */
    private static String findExecutable(String name) {
        for (String d : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return name;
    }
}
