package io.nemotron4j.spring.admin;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Collects what is wrong with an input, field by field, so that one 400 names every problem at once; throws only
 * at {@link #throwIfAny()}, before anything is changed.
 */
final class Checks {

    /** The most tokens any limit may be (10^15): beyond anything a model serves, and safely inside a long. */
    static final long MAX_TOKENS = 1_000_000_000_000_000L;

    /** The largest money amount (10^12): fits the numeric(20,6) columns with room to sum. */
    static final BigDecimal MAX_MONEY = BigDecimal.TEN.pow(12);

    /** The largest count of requests or tokens that fits an integer column with a meaning (10^9). */
    static final int MAX_COUNT = 1_000_000_000;

    /** The content policies the request audit knows. */
    static final Set<String> CONTENT_POLICIES = Set.of("NONE", "SHA256", "REDACTED", "FULL");

    private final List<InvalidInputException.FieldProblem> problems = new ArrayList<>();

    private final String prefix;

    Checks(String prefix) {
        this.prefix = prefix.isEmpty() ? "" : prefix + ".";
    }

    void fail(String field, String message) {
        this.problems.add(new InvalidInputException.FieldProblem(this.prefix + field, message));
    }

    void range(String field, @Nullable Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            fail(field, (value < min) ? "must be >= " + min : "must be <= " + max);
        }
    }

    void range(String field, @Nullable Integer value, long min, long max) {
        range(field, (value != null) ? Long.valueOf(value) : null, min, max);
    }

    void money(String field, @Nullable BigDecimal value) {
        if (value == null) {
            return;
        }
        if (value.signum() < 0) {
            fail(field, "must be >= 0");
        }
        else if (value.compareTo(MAX_MONEY) > 0) {
            fail(field, "must be <= " + MAX_MONEY.toPlainString());
        }
        else if (Math.max(0, value.stripTrailingZeros().scale()) > 8) {
            fail(field, "must have at most 8 decimal places");
        }
    }

    void text(String field, @Nullable String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                fail(field, "must not be blank");
            }
            return;
        }
        if (value.length() > max) {
            fail(field, "must have at most " + max + " characters");
        }
    }

    void zone(String field, @Nullable String value) {
        if (value == null) {
            return;
        }
        if (value.length() > 64) {
            fail(field, "must have at most 64 characters");
            return;
        }
        try {
            ZoneId.of(value);
        }
        catch (DateTimeException ex) {
            fail(field, "is not a known time zone (e.g. Europe/Paris, UTC)");
        }
    }

    void contentPolicy(String field, @Nullable String value) {
        if (value != null && !CONTENT_POLICIES.contains(value)) {
            fail(field, "must be one of NONE, SHA256, REDACTED, FULL");
        }
    }

    void throwIfAny() {
        if (!this.problems.isEmpty()) {
            throw new InvalidInputException(this.problems);
        }
    }

}
