/** Jetty plumbing: building loopback servers whose handlers run on virtual threads. */
package dev.wisp.http;
