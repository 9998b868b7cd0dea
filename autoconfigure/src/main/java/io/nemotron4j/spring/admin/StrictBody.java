package io.nemotron4j.spring.admin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an admin handler parameter read from the JSON request body by {@link StrictBodyResolver}: unknown fields,
 * wrong types and trailing content are refused with a 400 naming the field, without touching the application's own
 * JSON settings.
 *
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StrictBody {

}
