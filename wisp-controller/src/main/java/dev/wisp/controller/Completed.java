package dev.wisp.controller;

import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.invoker.InvocationResult;
import dev.wisp.telemetry.model.InvocationRecord;

/**
 * A finished invocation: what the invoker reported, the version that ran and the record it left.
 * The log tail (START, the function's lines, END, REPORT) is built only if a caller asks for it.
 */
public record Completed(FunctionConfig function, InvocationResult result, InvocationRecord record,
                        java.util.function.Supplier<String> tail) {
    public String logTail() { return tail.get(); }
}
