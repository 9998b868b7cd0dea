/**
 * The governance admin REST API ({@code {base}/api}, see docs/ADMIN-API.md), its own Spring Security filter chain,
 * and the web side of governance for the host's chat endpoints: resolving the {@code Caller} of a request from its
 * API key or principal, and answering refused requests with 429 problems.
 */
@NullMarked
package io.nemotron4j.spring.admin;

import org.jspecify.annotations.NullMarked;
