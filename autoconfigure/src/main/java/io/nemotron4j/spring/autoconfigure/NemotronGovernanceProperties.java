package io.nemotron4j.spring.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Governance settings ({@code nemotron.governance.*}): tenants, quotas and audit in PostgreSQL.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(NemotronGovernanceProperties.PREFIX)
public class NemotronGovernanceProperties {

    /** The prefix of these properties. */
    public static final String PREFIX = "nemotron.governance";

    /** Whether governance is on when its dependencies and a DataSource are present. */
    private boolean enabled = true;

    /** How long an admitted request holds its reservation without settling or renewing it. */
    private Duration lease = Duration.ofMinutes(10);

    /** Time between sweeps that release the reservations of dead processes. */
    private Duration sweepInterval = Duration.ofSeconds(30);

    /** Number of months beyond the current one whose request-audit partitions are created in advance. */
    private int auditPartitionsAhead = 2;

    /** Header that carries callers' API keys to the host's chat endpoints (Bearer n4j_...); X-API-Key always works. */
    private String apiKeyHeader = "Authorization";

    /** Whether the governed decorator of the Nemotron ChatModel is registered as the primary ChatModel. */
    private boolean primaryChatModel = true;

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getLease() {
        return this.lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public Duration getSweepInterval() {
        return this.sweepInterval;
    }

    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    public String getApiKeyHeader() {
        return this.apiKeyHeader;
    }

    public void setApiKeyHeader(String apiKeyHeader) {
        this.apiKeyHeader = apiKeyHeader;
    }

    public boolean isPrimaryChatModel() {
        return this.primaryChatModel;
    }

    public void setPrimaryChatModel(boolean primaryChatModel) {
        this.primaryChatModel = primaryChatModel;
    }

    public int getAuditPartitionsAhead() {
        return this.auditPartitionsAhead;
    }

    public void setAuditPartitionsAhead(int auditPartitionsAhead) {
        this.auditPartitionsAhead = auditPartitionsAhead;
    }

}
