/** placeholder */
package dev.wisp.tracing;
