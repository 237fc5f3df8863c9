/** placeholder */
package dev.wisp.store;
