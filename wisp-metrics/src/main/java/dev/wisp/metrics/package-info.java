/** placeholder */
package dev.wisp.metrics;
