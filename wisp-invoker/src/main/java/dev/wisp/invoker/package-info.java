/**
 * The encapsulation layer: instances of functions, their cold/warm lifecycle and the pool that
 * places invocations on them. {@link dev.wisp.invoker.InstancePool} is the entry class.
 */
package dev.wisp.invoker;
