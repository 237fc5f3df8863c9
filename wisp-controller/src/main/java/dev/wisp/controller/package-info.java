/**
 * The orchestration layer: which function an invocation is for, whether limits let it in, and
 * the record it leaves. {@link dev.wisp.controller.Dispatcher} is the entry class.
 */
package dev.wisp.controller;
