/** The {@code wisp} command line: serve the platform, manage keys and functions. */
package dev.wisp.cli;
