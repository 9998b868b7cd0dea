package io.nemotron4j.spring.governance;

/**
 * What the request audit keeps of a tenant's prompts and answers ({@code n4j_tenant.content_policy}). The policy in
 * force when a request is admitted applies to it; see {@link ContentRecorder} for the exact text.
 *
 * @since 0.1.0
 */
public enum ContentPolicy {

    /** Nothing: the audit row's {@code content} stays empty. */
    NONE,
    /** The lowercase hex SHA-256 of the transcript's UTF-8 bytes: proves what was said without keeping it. */
    SHA256,
    /** The transcript with e-mail addresses, phone numbers, long digit runs, API keys and IPs masked. */
    REDACTED,
    /** The transcript as it was. */
    FULL

}
