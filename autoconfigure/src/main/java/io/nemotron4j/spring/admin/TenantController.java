package io.nemotron4j.spring.admin;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import io.nemotron4j.spring.admin.AdminBodies.IssuedKeyView;
import io.nemotron4j.spring.admin.AdminBodies.NewKey;
import io.nemotron4j.spring.admin.AdminBodies.NewTenant;
import io.nemotron4j.spring.admin.AdminBodies.TenantChanges;
import io.nemotron4j.spring.admin.AdminBodies.TenantView;
import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.Tenant;
import io.nemotron4j.spring.governance.TenantLimits;
import io.nemotron4j.spring.governance.Tenants;
import io.nemotron4j.spring.governance.UsageReports;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tenants, their limits and their API keys.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping(AdminApi.ROOT)
public class TenantController {

    private final Tenants tenants;

    private final ApiKeys keys;

    private final UsageReports usage;

    private final AdminChanges changes;

    /**
     * Creates the controller.
     * @param tenants tenants and limits
     * @param keys API keys
     * @param usage current usage
     * @param changes audited changes
     */
    public TenantController(Tenants tenants, ApiKeys keys, UsageReports usage, AdminChanges changes) {
        this.tenants = tenants;
        this.keys = keys;
        this.usage = usage;
        this.changes = changes;
    }

    @GetMapping("/tenants")
    List<TenantView> list() {
        return this.tenants.list().stream().map(this::view).toList();
    }

    @GetMapping("/tenants/{id}")
    TenantView get(@PathVariable UUID id) {
        return view(tenant(id));
    }

    @PostMapping("/tenants")
    @ResponseStatus(HttpStatus.CREATED)
    TenantView create(@StrictBody NewTenant body, Principal actor) {
        Checks checks = new Checks("");
        checks.text("name", body.name(), 100, true);
        checks.zone("timeZone", body.timeZone());
        checks.text("principal", body.principal(), 200, false);
        checks.contentPolicy("contentPolicy", body.contentPolicy());
        checks.throwIfAny();
        TenantLimits limits = (body.limits() != null) ? body.limits().toLimits("limits") : null;
        UUID id = this.changes.createTenant(actor.getName(), body.name().strip(),
                ZoneId.of((body.timeZone() != null) ? body.timeZone() : "UTC"), blankToNull(body.principal()),
                (body.contentPolicy() != null) ? body.contentPolicy() : "NONE", limits);
        return view(tenant(id));
    }

    @PatchMapping("/tenants/{id}")
    TenantView update(@PathVariable UUID id, @StrictBody TenantChanges body, Principal actor) {
        Checks checks = new Checks("");
        if (body.name() != null) {
            checks.text("name", body.name(), 100, true);
        }
        checks.zone("timeZone", body.timeZone());
        checks.text("principal", body.principal(), 200, false);
        checks.contentPolicy("contentPolicy", body.contentPolicy());
        checks.throwIfAny();
        Tenant current = tenant(id);
        Tenant changed = new Tenant(id, (body.name() != null) ? body.name().strip() : current.name(),
                (body.timeZone() != null) ? body.timeZone() : current.timeZone(),
                (body.principal() != null) ? blankToNull(body.principal()) : current.principal(),
                (body.contentPolicy() != null) ? body.contentPolicy() : current.contentPolicy(),
                (body.enabled() != null) ? body.enabled() : current.enabled(), current.createdAt(),
                current.updatedAt());
        this.changes.updateTenant(actor.getName(), changed);
        return view(tenant(id));
    }

    @DeleteMapping("/tenants/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id, Principal actor) {
        if (!this.changes.deleteTenant(actor.getName(), id)) {
            throw new NotFoundException("tenant", id);
        }
    }

    @GetMapping("/tenants/{id}/limits")
    LimitsBody limits(@PathVariable UUID id) {
        tenant(id);
        return LimitsBody.of(this.tenants.limits(id).orElse(TenantLimits.NONE));
    }

    @PutMapping("/tenants/{id}/limits")
    LimitsBody putLimits(@PathVariable UUID id, @StrictBody LimitsBody body, Principal actor) {
        TenantLimits limits = body.toLimits("");
        tenant(id);
        this.changes.putLimits(actor.getName(), id, limits);
        return LimitsBody.of(limits);
    }

    @GetMapping("/tenants/{id}/keys")
    List<ApiKeys.ApiKey> keys(@PathVariable UUID id) {
        tenant(id);
        return this.keys.list(id);
    }

    @PostMapping("/tenants/{id}/keys")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedKeyView issueKey(@PathVariable UUID id, @StrictBody NewKey body, Principal actor) {
        Checks checks = new Checks("");
        checks.text("name", body.name(), 100, true);
        if (body.expiresAt() != null && !body.expiresAt().isAfter(Instant.now())) {
            checks.fail("expiresAt", "must be in the future");
        }
        checks.throwIfAny();
        tenant(id);
        ApiKeys.IssuedKey issued = this.changes.issueKey(actor.getName(), id, body.name().strip(), body.expiresAt());
        return IssuedKeyView.of(this.keys.find(issued.id()).orElseThrow(), issued.key());
    }

    @DeleteMapping("/keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeKey(@PathVariable UUID keyId, Principal actor) {
        this.changes.revokeKey(actor.getName(), keyId);
    }

    private Tenant tenant(UUID id) {
        return this.tenants.find(id).orElseThrow(() -> new NotFoundException("tenant", id));
    }

    private TenantView view(Tenant tenant) {
        return TenantView.of(tenant, LimitsBody.of(this.tenants.limits(tenant.id()).orElse(TenantLimits.NONE)),
                this.usage.current(tenant.id(), ZoneId.of(tenant.timeZone())));
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }

}
