/** Durable state of the control plane: functions, versions, aliases, limits, code. */
package dev.wisp.controller.registry;
