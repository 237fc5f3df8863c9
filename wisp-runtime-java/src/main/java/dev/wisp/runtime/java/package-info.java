/**
 * Wisp's java21 runtime: the process inside an instance that polls the Runtime API and calls a
 * handler written against aws-lambda-java-core. Kept small because its start-up is the Java cold
 * start: Jackson is loaded only when a handler takes or returns objects.
 */
package dev.wisp.runtime.java;
