/**
 * Instances as real OS processes: the sandbox (namespaces, cgroups, unprivileged user), the runtime
 * commands, and the process-backed {@link dev.wisp.invoker.Instance}.
 */
package dev.wisp.invoker.process;
