package io.nemotron4j.spring.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.nemotron4j.spring.governance.AdmissionRejectedException;
import io.nemotron4j.spring.governance.UnknownTenantException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of an admin route into an RFC 9457 problem: 400 with per-field {@code errors} for invalid
 * input (including malformed ids, unknown enum values and unreadable bodies), 404 for unknown ids, 409 for a name
 * or principal already taken, 429 for a refused playground request. Scoped to the admin controllers, so the host
 * application's own error handling is untouched.
 *
 * @since 0.1.0
 */
@RestControllerAdvice(basePackageClasses = AdminExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AdminExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInputException ex) {
        return ResponseEntity.badRequest().body(invalidInput(ex.errors()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException ex) {
        String expected = (ex.getRequiredType() != null && ex.getRequiredType().isEnum())
                ? "must be one of " + Arrays.toString(ex.getRequiredType().getEnumConstants())
                : "is not a valid " + ((ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName()
                        : "value");
        return ResponseEntity.badRequest()
            .body(invalidInput(List.of(new InvalidInputException.FieldProblem(ex.getName(), expected))));
    }

    @ExceptionHandler({ NotFoundException.class, UnknownTenantException.class })
    ResponseEntity<ProblemDetail> notFound(RuntimeException ex) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
            .body(Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND,
                    "Not found", ex.getMessage()));
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> duplicate(DuplicateKeyException ex) {
        // The violated constraint tells which column (the message also quotes the statement, naming both).
        String field = (ex.getMessage() != null && ex.getMessage().contains("n4j_tenant_principal_key")) ? "principal"
                : "name";
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, Problems.CONFLICT, "Conflict", "a tenant with this " + field + " already exists");
        problem.setProperty("errors", List.of(new InvalidInputException.FieldProblem(field, "is already taken")));
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(AdmissionRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(AdmissionRejectedException ex) {
        return Problems.limitExceeded(ex);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        return ResponseEntity.badRequest()
            .body(invalidInput(List.of(new InvalidInputException.FieldProblem(ex.getParameterName(), "is required"))));
    }

    private static ProblemDetail invalidInput(List<InvalidInputException.FieldProblem> errors) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_INPUT, "Invalid input",
                errors.size() + " field(s) are invalid; nothing was changed");
        problem.setProperty("errors", errors.stream().map((e) -> Map.of("field", e.field(), "message", e.message()))
            .toList());
        return problem;
    }

}
