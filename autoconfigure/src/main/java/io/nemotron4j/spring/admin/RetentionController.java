package io.nemotron4j.spring.admin;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import io.nemotron4j.spring.admin.AdminBodies.RetentionChange;
import io.nemotron4j.spring.admin.AdminBodies.RetentionView;
import io.nemotron4j.spring.governance.AuditRetention;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The request audit's retention and the purge of months beyond it.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping(AdminApi.ROOT + "/retention")
public class RetentionController {

    private final AuditRetention retention;

    private final AdminChanges changes;

    /**
     * Creates the controller.
     * @param retention the retention
     * @param changes audited changes
     */
    public RetentionController(AuditRetention retention, AdminChanges changes) {
        this.retention = retention;
        this.changes = changes;
    }

    @GetMapping
    RetentionView get() {
        return new RetentionView(this.retention.months(), this.retention.oldestPartition().orElse(null));
    }

    @PutMapping
    RetentionView put(@StrictBody RetentionChange body, Principal actor) {
        Checks checks = new Checks("");
        if (body.months() == null) {
            checks.fail("months", "is required");
        }
        else {
            checks.range("months", body.months(), AuditRetention.MIN_MONTHS, AuditRetention.MAX_MONTHS);
        }
        checks.throwIfAny();
        this.changes.setRetention(actor.getName(), body.months());
        return get();
    }

    @PostMapping("/purge")
    Map<String, List<String>> purge(Principal actor) {
        return Map.of("droppedPartitions", this.changes.purge(actor.getName()));
    }

}
