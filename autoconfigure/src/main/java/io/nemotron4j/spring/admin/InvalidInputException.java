package io.nemotron4j.spring.admin;

import java.util.List;

/**
 * Input that the admin API refuses (400): every offending field with what is wrong with it.
 *
 * @since 0.1.0
 */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldProblem> errors;

    /**
     * Creates the exception.
     * @param errors the offending fields, at least one
     */
    public InvalidInputException(List<FieldProblem> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.getFirst().field() + ": " + errors.getFirst().message());
        this.errors = List.copyOf(errors);
    }

    /**
     * Creates the exception for one field.
     * @param field the field's path, e.g. {@code limits.tokensPerDay}
     * @param message what is wrong with it
     * @return the exception
     */
    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldProblem(field, message)));
    }

    /** @return the offending fields */
    public List<FieldProblem> errors() {
        return this.errors;
    }

    /**
     * One offending field.
     * @param field its path, e.g. {@code limits.tokensPerDay}
     * @param message what is wrong with it, e.g. {@code must be >= 0}
     */
    public record FieldProblem(String field, String message) {
    }

}
