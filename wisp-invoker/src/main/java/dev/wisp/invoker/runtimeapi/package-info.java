/**
 * The Lambda Runtime API (2018-06-01) that instances poll. It listens on loopback on a port of its
 * own, never the public API port, and each instance's endpoints live under an unguessable token, so
 * no process can take another instance's invocations.
 */
package dev.wisp.invoker.runtimeapi;
