/**
 * The coordination layer: the AWS-Lambda-compatible REST API (control and invoke), function URLs,
 * authentication and tenants. {@link dev.wisp.gateway.Gateway} is the entry class.
 */
package dev.wisp.gateway;
