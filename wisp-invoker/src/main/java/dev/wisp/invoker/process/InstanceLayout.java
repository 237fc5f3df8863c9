package dev.wisp.invoker.process;

import java.nio.file.Path;

/**
 * Where an instance sees its code, Wisp's runtime files and its scratch space. Inside the sandbox
 * these are fixed paths under /mnt (see sandbox.sh); without it, the real paths on the host.
 */
record InstanceLayout(Path taskRoot, Path runtimeDir, Path tmp) {
    static final InstanceLayout SANDBOXED = new InstanceLayout(Path.of("/mnt/task"), Path.of("/mnt/runtime"), Path.of("/tmp"));
}
