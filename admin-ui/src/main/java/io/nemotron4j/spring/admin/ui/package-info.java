/**
 * The admin dashboard: static ES modules served under the admin base path, inside the admin API's security, using
 * only the admin REST API and Actuator.
 */
@NullMarked
package io.nemotron4j.spring.admin.ui;

import org.jspecify.annotations.NullMarked;
