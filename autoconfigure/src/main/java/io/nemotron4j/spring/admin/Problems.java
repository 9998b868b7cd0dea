package io.nemotron4j.spring.admin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import io.nemotron4j.spring.governance.AdmissionRejectedException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The RFC 9457 problems of governance, built in one place so that the admin API, the playground and the host's
 * chat endpoints describe the same failure alike.
 *
 * @since 0.1.0
 */
public final class Problems {

    /** The type of a request refused by a governance limit. */
    public static final URI LIMIT_EXCEEDED = URI.create("urn:nemotron4j:problem:limit-exceeded");

    /** The type of input the admin API refuses. */
    public static final URI INVALID_INPUT = URI.create("urn:nemotron4j:problem:invalid-input");

    /** The type of an id that matches nothing. */
    public static final URI NOT_FOUND = URI.create("urn:nemotron4j:problem:not-found");

    /** The type of a name or principal already taken. */
    public static final URI CONFLICT = URI.create("urn:nemotron4j:problem:conflict");

    /** The type of a missing or invalid credential. */
    public static final URI UNAUTHORIZED = URI.create("urn:nemotron4j:problem:unauthorized");

    /** The type of an authenticated caller without the needed role. */
    public static final URI FORBIDDEN = URI.create("urn:nemotron4j:problem:forbidden");

    private Problems() {
    }

    /**
     * A 429 for a refused request: the limit, its value, the current usage, what was requested, when it resets,
     * and a {@code Retry-After} header when the limit has a reset instant.
     * @param ex the refusal
     * @return the response
     */
    public static ResponseEntity<ProblemDetail> limitExceeded(AdmissionRejectedException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage());
        problem.setType(LIMIT_EXCEEDED);
        problem.setTitle("Limit exceeded");
        problem.setProperty("limit", ex.limit().name());
        problem.setProperty("limitValue", ex.limitValue());
        problem.setProperty("current", ex.current());
        problem.setProperty("requested", ex.requested());
        problem.setProperty("resetsAt", ex.resetsAt());
        problem.setProperty("tenantId", ex.tenantId());
        problem.setProperty("requestId", ex.requestId());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS);
        if (ex.resetsAt() != null) {
            // Rounded up: retrying a second early would only be refused again.
            long millis = Math.max(0, Duration.between(Instant.now(), ex.resetsAt()).toMillis());
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (millis + 999) / 1000)));
        }
        return response.body(problem);
    }

    /**
     * A problem without extra fields.
     * @param status the status
     * @param type the type
     * @param title the title
     * @param detail the detail
     * @return the problem
     */
    public static ProblemDetail of(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

}
