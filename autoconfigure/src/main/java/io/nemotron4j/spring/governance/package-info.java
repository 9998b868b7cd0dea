/**
 * Governance of model use by tenants, stored in PostgreSQL: tenants and their limits, admission (check every
 * limit and reserve tokens in one transaction), settlement (book actual usage, release the rest), expiry of
 * reservations whose owner died, and the request audit.
 *
 * <p>Everything here is opt-in: it is configured only when {@code nemotron4j-governance-spring-boot-starter} (or
 * equivalent JDBC and Flyway dependencies) and a {@code DataSource} are present.
 */
@NullMarked
package io.nemotron4j.spring.governance;

import org.jspecify.annotations.NullMarked;
