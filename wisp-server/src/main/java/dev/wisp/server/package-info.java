/** The composition root of {@code wisp serve}: builds every layer with constructors and closes them in reverse. */
package dev.wisp.server;
