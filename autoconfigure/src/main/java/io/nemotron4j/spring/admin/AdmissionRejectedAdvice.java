package io.nemotron4j.spring.admin;

import io.nemotron4j.spring.governance.AdmissionRejectedException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a chat request that governance refused with 429, a {@code Retry-After} header when the limit has a
 * reset instant, and a problem body naming the limit, its value, current usage, what was requested, when it resets,
 * the tenant and the audit row. Ordered last, so a handler of the application's own wins.
 *
 * @since 0.1.0
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class AdmissionRejectedAdvice {

    @ExceptionHandler(AdmissionRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(AdmissionRejectedException ex) {
        return Problems.limitExceeded(ex);
    }

}
