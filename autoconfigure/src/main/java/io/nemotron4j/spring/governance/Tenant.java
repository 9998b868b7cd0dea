package io.nemotron4j.spring.governance;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A team or application that uses the model.
 *
 * @param id its id
 * @param name its unique name
 * @param timeZone the zone its days, weeks and months are counted in
 * @param principal the host application's principal mapped to it, if any
 * @param contentPolicy what of a request's content the audit keeps ({@code NONE}, {@code SHA256}, {@code REDACTED}
 * or {@code FULL})
 * @param enabled whether it may use the model
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @since 0.1.0
 */
public record Tenant(UUID id, String name, String timeZone, @Nullable String principal, String contentPolicy,
        boolean enabled, Instant createdAt, Instant updatedAt) {
}
