package io.nemotron4j.spring.admin;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.nemotron4j.spring.governance.UsageReports;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Usage reports: booked usage per tenant and day, week or month; tokens per hour; exports.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping(AdminApi.ROOT + "/usage")
public class UsageController {

    /** The longest report range (about ten years of days). */
    static final long MAX_DAYS = 3700;

    private final UsageReports reports;

    private final JsonMapper json;

    /**
     * Creates the controller.
     * @param reports the reports
     * @param json the application's JSON mapper, if any: writes JSON lines
     */
    public UsageController(UsageReports reports, ObjectProvider<JsonMapper> json) {
        this.reports = reports;
        this.json = JsonMappers.of(json);
    }

    @GetMapping
    UsageReports.Report report(@RequestParam(required = false) @Nullable UUID tenant,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
            @RequestParam(defaultValue = "day") String groupBy) {
        return query(tenant, from, to, groupBy);
    }

    @GetMapping("/hourly")
    List<UsageReports.Hour> hourly(@RequestParam(defaultValue = "24") int hours) {
        Checks checks = new Checks("");
        checks.range("hours", hours, 1, 24 * 31);
        checks.throwIfAny();
        return this.reports.hourly(hours);
    }

    @GetMapping("/export")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) @Nullable UUID tenant,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
            @RequestParam(defaultValue = "day") String groupBy, @RequestParam(defaultValue = "csv") String format) {
        Exports.Format chosen = Exports.Format.of(format);
        UsageReports.Report report = query(tenant, from, to, groupBy);
        StreamingResponseBody body = (out) -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            if (chosen == Exports.Format.CSV) {
                Exports.csvLine(writer, Exports.header(UsageReports.Row.class));
            }
            for (UsageReports.Row row : report.rows()) {
                if (chosen == Exports.Format.CSV) {
                    Exports.csvLine(writer, Exports.values(row));
                }
                else {
                    writer.write(this.json.writeValueAsString(row));
                    writer.write('\n');
                }
            }
            writer.flush();
        };
        return ResponseEntity.ok()
            .contentType(MediaType.parseMediaType(chosen.mediaType))
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"usage." + chosen.extension + "\"")
            .body(body);
    }

    private UsageReports.Report query(@Nullable UUID tenant, @Nullable LocalDate from, @Nullable LocalDate to,
            String groupBy) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate last = (to != null) ? to : today;
        LocalDate first = (from != null) ? from : last.withDayOfMonth(1);
        Checks checks = new Checks("");
        UsageReports.GroupBy grouping = null;
        try {
            grouping = UsageReports.GroupBy.valueOf(groupBy.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            checks.fail("groupBy", "must be day, week or month");
        }
        if (first.isAfter(last)) {
            checks.fail("from", "must not be after to");
        }
        else if (ChronoUnit.DAYS.between(first, last) > MAX_DAYS) {
            checks.fail("from", "range must be at most " + MAX_DAYS + " days");
        }
        checks.throwIfAny();
        return this.reports.report(tenant, first, last, grouping);
    }

}
