/**
 * Spring Boot auto-configuration of the Nemotron chat model and its Actuator integration, and the
 * {@code nemotron.*} configuration properties.
 */
@NullMarked
package io.nemotron4j.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
