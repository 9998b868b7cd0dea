package io.nemotron4j.spring.governance;

import java.util.UUID;

/**
 * Admission was asked for a tenant that does not exist.
 *
 * @since 0.1.0
 */
public class UnknownTenantException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     * @param tenantId the id that matched no tenant
     */
    public UnknownTenantException(UUID tenantId) {
        super("no tenant with id " + tenantId + " (deleted, or never created)");
    }

}
