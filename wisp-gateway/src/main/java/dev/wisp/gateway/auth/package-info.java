/** Request authentication for the gateway: verifies AWS Signature Version 4 so that unmodified AWS SDKs and CLIs can call Wisp. */
package dev.wisp.gateway.auth;
