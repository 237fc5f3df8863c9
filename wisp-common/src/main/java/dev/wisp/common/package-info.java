/** Types every layer shares: time, identifiers and the one exception root. JDK only. */
package dev.wisp.common;
