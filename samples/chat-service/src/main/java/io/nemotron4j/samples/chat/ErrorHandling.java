package io.nemotron4j.samples.chat;

import io.nemotron4j.engine.generate.PromptTooLongException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns what can go wrong with a chat request into a problem response (RFC 9457) that says why. A full engine is the
 * starter's business: its advice answers 503 with {@code Retry-After}.
 */
@RestControllerAdvice
class ErrorHandling {

    @ExceptionHandler(PromptTooLongException.class)
    ProblemDetail tooLong(PromptTooLongException ex) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException ex) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
    }
}
