package io.nemotron4j.spring.chat;

import java.time.Duration;

import io.nemotron4j.engine.serve.SchedulerBusyException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a generation the engine had no room for with {@code 503 Service Unavailable}, a problem body (RFC 9457)
 * that says why, and a {@code Retry-After} header in seconds when the engine can tell. Auto-configured in servlet
 * web applications; an application's own advice for these exceptions replaces it.
 *
 * @since 0.1.0
 */
@RestControllerAdvice
public class GenerationRejectedAdvice {

    /** A refusal through {@link GenerationScheduler} (and so through {@link NemotronChatModel}). */
    @ExceptionHandler(GenerationRejectedException.class)
    public ResponseEntity<ProblemDetail> rejected(GenerationRejectedException ex) {
        return unavailable(ex.getMessage(), ex.getRetryAfter().orElse(null));
    }

    /** A refusal by the engine itself, for applications that submit to it directly. */
    @ExceptionHandler(SchedulerBusyException.class)
    public ResponseEntity<ProblemDetail> busy(SchedulerBusyException ex) {
        return unavailable(ex.getMessage(), ex.retryAfter());
    }

    private static ResponseEntity<ProblemDetail> unavailable(@Nullable String message, @Nullable Duration retryAfter) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, message);
        body.setTitle("The model is busy");
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
        if (retryAfter != null) {
            // Whole seconds, rounded up: a client that waits exactly this long should not arrive early.
            long seconds = Math.max(1, retryAfter.plusNanos(999_999_999).toSeconds());
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response.body(body);
    }
}
