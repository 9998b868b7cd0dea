/**
 * Actuator integration: health indicator, info contributor, the {@code nemotron} endpoint and the engine's meters.
 */
@NullMarked
package io.nemotron4j.spring.actuate;

import org.jspecify.annotations.NullMarked;
