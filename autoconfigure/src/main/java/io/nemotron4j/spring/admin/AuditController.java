package io.nemotron4j.spring.admin;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.nemotron4j.spring.admin.AdminBodies.Page;
import io.nemotron4j.spring.governance.AdminAuditLog;
import io.nemotron4j.spring.governance.Outcome;
import io.nemotron4j.spring.governance.RequestAudit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The request audit (search, detail, export), the admin audit, and verification of the admin audit's hash chain.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping(AdminApi.ROOT + "/audit")
public class AuditController {

    /** The largest page. */
    static final int MAX_LIMIT = 500;

    private final RequestAudit requests;

    private final AdminAuditLog adminLog;

    private final JsonMapper json;

    /**
     * Creates the controller.
     * @param requests the request audit
     * @param adminLog the admin audit
     * @param json the application's JSON mapper, if any: writes JSON lines
     */
    public AuditController(RequestAudit requests, AdminAuditLog adminLog, ObjectProvider<JsonMapper> json) {
        this.requests = requests;
        this.adminLog = adminLog;
        this.json = JsonMappers.of(json);
    }

    /**
     * The verification result as the API returns it.
     * @param adminChain the admin audit's chain
     */
    record VerifyResult(AdminAuditLog.Verification adminChain) {
    }

    /** An admin audit entry with its before and after states as JSON values rather than strings. */
    record AdminEntry(long seq, Instant at, String actor, String action, String entity, @Nullable String entityId,
            @Nullable JsonNode before, @Nullable JsonNode after) {
    }

    @GetMapping("/requests")
    Page<RequestAudit.Row> search(@RequestParam(required = false) @Nullable UUID tenant,
            @RequestParam(required = false) @Nullable Outcome outcome,
            @RequestParam(required = false) @Nullable Instant from,
            @RequestParam(required = false) @Nullable Instant to, @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable String cursor) {
        RequestAudit.Filter filter = filter(tenant, outcome, from, to, q);
        Checks checks = new Checks("");
        checks.range("limit", limit, 1, MAX_LIMIT);
        checks.throwIfAny();
        RequestAudit.Page page = this.requests.search(filter, Cursors.position(cursor), limit);
        return new Page<>(page.rows(), Cursors.of(page.next()));
    }

    @GetMapping("/requests/{id}")
    RequestAudit.Row request(@PathVariable UUID id) {
        return this.requests.find(id).orElseThrow(() -> new NotFoundException("request", id));
    }

    @GetMapping("/requests/export")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) @Nullable UUID tenant,
            @RequestParam(required = false) @Nullable Outcome outcome,
            @RequestParam(required = false) @Nullable Instant from,
            @RequestParam(required = false) @Nullable Instant to, @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "csv") String format) {
        Exports.Format chosen = Exports.Format.of(format);
        RequestAudit.Filter filter = filter(tenant, outcome, from, to, q);
        List<String> header = Exports.header(RequestAudit.Row.class).stream()
            .filter((name) -> !name.equals("content"))
            .toList();
        StreamingResponseBody body = (out) -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            if (chosen == Exports.Format.CSV) {
                Exports.csvLine(writer, header);
            }
            this.requests.forEach(filter, (row) -> {
                try {
                    if (chosen == Exports.Format.CSV) {
                        Exports.csvLine(writer, Exports.values(row).subList(0, header.size()));
                    }
                    else {
                        writer.write(this.json.writeValueAsString(row));
                        writer.write('\n');
                    }
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            writer.flush();
        };
        return ResponseEntity.ok()
            .contentType(MediaType.parseMediaType(chosen.mediaType))
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"requests." + chosen.extension + "\"")
            .body(body);
    }

    @GetMapping("/admin")
    Page<AdminEntry> admin(@RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Checks checks = new Checks("");
        checks.range("limit", limit, 1, MAX_LIMIT);
        checks.throwIfAny();
        List<AdminAuditLog.Entry> entries = this.adminLog.page(limit + 1, Cursors.seq(cursor));
        boolean more = entries.size() > limit;
        List<AdminAuditLog.Entry> page = more ? entries.subList(0, limit) : entries;
        return new Page<>(page.stream().map(this::view).toList(), more ? Cursors.ofSeq(page.getLast().seq()) : null);
    }

    @PostMapping("/verify")
    VerifyResult verify() {
        return new VerifyResult(this.adminLog.verify());
    }

    private AdminEntry view(AdminAuditLog.Entry entry) {
        return new AdminEntry(entry.seq(), entry.at(), entry.actor(), entry.action(), entry.entity(),
                entry.entityId(), (entry.beforeJson() != null) ? this.json.readTree(entry.beforeJson()) : null,
                (entry.afterJson() != null) ? this.json.readTree(entry.afterJson()) : null);
    }

    private static RequestAudit.Filter filter(@Nullable UUID tenant, @Nullable Outcome outcome,
            @Nullable Instant from, @Nullable Instant to, @Nullable String q) {
        Checks checks = new Checks("");
        checks.text("q", q, 200, false);
        if (from != null && to != null && from.isAfter(to)) {
            checks.fail("from", "must not be after to");
        }
        checks.throwIfAny();
        return new RequestAudit.Filter(tenant, outcome, from, to, (q != null && !q.isBlank()) ? q.strip() : null);
    }

}
