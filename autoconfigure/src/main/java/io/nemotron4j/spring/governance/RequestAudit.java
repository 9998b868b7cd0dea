package io.nemotron4j.spring.governance;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Searches the request audit: filtered pages newest first with a keyset cursor (stable while rows are added, and as
 * fast on page 1000 as on page 1), single rows with their content, and a streamed export of every match.
 *
 * @since 0.1.0
 */
public class RequestAudit {

    private static final String COLUMNS = """
            id, started_at, tenant_id, api_key_id, principal, model, thinking, thinking_budget, temperature,
            max_tokens, prompt_tokens, reserved_tokens, input_tokens, reasoning_tokens, output_tokens, cost,
            first_token_ms, duration_ms, finish_reason, outcome, reject_limit, detail, client_address, trace_id""";

    private final JdbcClient jdbc;

    private final NamedParameterJdbcTemplate streaming;

    private final TransactionTemplate readOnly;

    /**
     * Creates the search.
     * @param jdbc a template on the governance database
     * @param transactionManager a transaction manager for the same database
     */
    public RequestAudit(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = JdbcClient.create(jdbc);
        // PostgreSQL streams a result set only inside a transaction and with a fetch size; otherwise the driver
        // reads every row into memory first.
        JdbcTemplate cursor = new JdbcTemplate(jdbc.getDataSource());
        cursor.setFetchSize(500);
        this.streaming = new NamedParameterJdbcTemplate(cursor);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
    }

    /**
     * One request as the audit records it.
     * @param id the request's id
     * @param startedAt when it was admitted or refused
     * @param tenantId its tenant
     * @param apiKeyId the key it came with, if any
     * @param principal the principal it came from, if any
     * @param model the model's name
     * @param thinking whether it asked for reasoning
     * @param thinkingBudget its effective reasoning budget
     * @param temperature its sampling temperature
     * @param maxTokens most tokens it could generate
     * @param promptTokens its estimated prompt tokens
     * @param reservedTokens the tokens admission reserved
     * @param inputTokens booked prompt tokens (after settlement)
     * @param reasoningTokens booked reasoning tokens
     * @param outputTokens booked answer tokens
     * @param cost booked cost
     * @param firstTokenMs time to the first token
     * @param durationMs time from admission to settlement
     * @param finishReason why generation stopped
     * @param outcome how it ended
     * @param rejectLimit the limit that refused it, if refused
     * @param detail a description of a refusal or failure
     * @param clientAddress the caller's address
     * @param traceId the trace id
     * @param content its content as the tenant's content policy keeps it; only on a single row, never in lists
     */
    public record Row(UUID id, Instant startedAt, UUID tenantId, @Nullable UUID apiKeyId, @Nullable String principal,
            String model, @Nullable Boolean thinking, @Nullable Integer thinkingBudget, @Nullable Double temperature,
            int maxTokens, int promptTokens, long reservedTokens, @Nullable Long inputTokens,
            @Nullable Long reasoningTokens, @Nullable Long outputTokens, @Nullable BigDecimal cost,
            @Nullable Long firstTokenMs, @Nullable Long durationMs, @Nullable String finishReason, String outcome,
            @Nullable String rejectLimit, @Nullable String detail, @Nullable String clientAddress,
            @Nullable String traceId, @Nullable String content) {
    }

    /**
     * Which rows to find; every criterion is optional.
     * @param tenantId only this tenant's requests
     * @param outcome only requests that ended so
     * @param from only requests started at or after this instant
     * @param to only requests started before this instant
     * @param text only requests whose model, detail, principal, client address or trace id contain this text
     * (case-insensitive)
     */
    public record Filter(@Nullable UUID tenantId, @Nullable Outcome outcome, @Nullable Instant from,
            @Nullable Instant to, @Nullable String text) {
    }

    /**
     * Where a page ends: the last row's start and id. The next page starts just after it.
     * @param startedAt the last row's start
     * @param id the last row's id
     */
    public record Position(Instant startedAt, UUID id) {
    }

    /**
     * A page of rows.
     * @param rows the rows, newest first
     * @param next where the next page starts, or {@code null} when this is the last
     */
    public record Page(List<Row> rows, @Nullable Position next) {
    }

    /**
     * A page of matching rows, newest first.
     * @param filter which rows
     * @param after the previous page's {@link Page#next()}, or {@code null} for the first page
     * @param limit most rows on the page
     * @return the page
     */
    public Page search(Filter filter, @Nullable Position after, int limit) {
        MapSqlParameterSource params = parameters(filter);
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from n4j_request_audit where ")
            .append(where(filter));
        if (after != null) {
            sql.append(" and (started_at, id) < (:afterAt, :afterId)");
            params.addValue("afterAt", Timestamp.from(after.startedAt())).addValue("afterId", after.id());
        }
        sql.append(" order by started_at desc, id desc limit :limit");
        params.addValue("limit", limit + 1);
        List<Row> rows = new ArrayList<>(this.jdbc.sql(sql.toString()).paramSource(params)
            .query((rs, row) -> read(rs, false))
            .list());
        Position next = null;
        if (rows.size() > limit) {
            rows.removeLast();
            Row last = rows.getLast();
            next = new Position(last.startedAt(), last.id());
        }
        return new Page(rows, next);
    }

    /**
     * One request, with its content.
     * @param id the request's id
     * @return the row, or empty when there is none with that id
     */
    public Optional<Row> find(UUID id) {
        return this.jdbc.sql("select " + COLUMNS + ", content from n4j_request_audit where id = ?")
            .param(id)
            .query((rs, row) -> read(rs, true))
            .optional();
    }

    /**
     * Hands every matching row, newest first, to a consumer while reading them from a database cursor, so that an
     * export of millions of rows needs memory for a few hundred.
     * @param filter which rows
     * @param sink receives each row
     */
    public void forEach(Filter filter, Consumer<Row> sink) {
        MapSqlParameterSource params = parameters(filter);
        String sql = "select " + COLUMNS + " from n4j_request_audit where " + where(filter)
                + " order by started_at desc, id desc";
        this.readOnly.executeWithoutResult((status) -> this.streaming.query(sql, params,
                (ResultSet rs) -> sink.accept(read(rs, false))));
    }

    private static String where(Filter filter) {
        // Each criterion is a fixed fragment; only parameters carry values.
        List<String> clauses = new ArrayList<>();
        clauses.add("true");
        if (filter.tenantId() != null) {
            clauses.add("tenant_id = :tenant");
        }
        if (filter.outcome() != null) {
            clauses.add("outcome = :outcome");
        }
        if (filter.from() != null) {
            clauses.add("started_at >= :from");
        }
        if (filter.to() != null) {
            clauses.add("started_at < :to");
        }
        if (filter.text() != null && !filter.text().isEmpty()) {
            clauses.add("(model ilike :text or detail ilike :text or principal ilike :text "
                    + "or client_address ilike :text or trace_id ilike :text)");
        }
        return String.join(" and ", clauses);
    }

    private static MapSqlParameterSource parameters(Filter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        params.addValue("tenant", filter.tenantId(), Types.OTHER);
        params.addValue("outcome", (filter.outcome() != null) ? filter.outcome().name() : null, Types.VARCHAR);
        params.addValue("from", (filter.from() != null) ? Timestamp.from(filter.from()) : null, Types.TIMESTAMP);
        params.addValue("to", (filter.to() != null) ? Timestamp.from(filter.to()) : null, Types.TIMESTAMP);
        String text = filter.text();
        params.addValue("text", (text != null) ? "%" + escapeLike(text) + "%" : null, Types.VARCHAR);
        return params;
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Row read(ResultSet rs, boolean withContent) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getTimestamp("started_at").toInstant(),
                rs.getObject("tenant_id", UUID.class), rs.getObject("api_key_id", UUID.class),
                rs.getString("principal"), rs.getString("model"), rs.getObject("thinking", Boolean.class),
                rs.getObject("thinking_budget", Integer.class), rs.getObject("temperature", Double.class),
                rs.getInt("max_tokens"), rs.getInt("prompt_tokens"), rs.getLong("reserved_tokens"),
                rs.getObject("input_tokens", Long.class), rs.getObject("reasoning_tokens", Long.class),
                rs.getObject("output_tokens", Long.class), rs.getBigDecimal("cost"),
                rs.getObject("first_token_ms", Long.class), rs.getObject("duration_ms", Long.class),
                rs.getString("finish_reason"), rs.getString("outcome"), rs.getString("reject_limit"),
                rs.getString("detail"), rs.getString("client_address"), rs.getString("trace_id"),
                withContent ? rs.getString("content") : null);
    }

}
