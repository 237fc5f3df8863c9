package dev.wisp.controller;

import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.invoker.InvocationResult;
import dev.wisp.telemetry.model.InvocationRecord;

/** A finished invocation: what the invoker reported, the version that ran and the record it left. */
public record Completed(FunctionConfig function, InvocationResult result, InvocationRecord record, String logTail) {}
