package io.nemotron4j.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

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

    /** Soft-limit alerts. */
    private final Alerts alerts = new Alerts();

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

    public Alerts getAlerts() {
        return this.alerts;
    }

    /**
     * Soft-limit alerts ({@code nemotron.governance.alerts.*}): raised once per tenant, limit, period and threshold
     * when settled usage reaches a share of a day, week or month limit.
     */
    public static class Alerts {

        /** Percentages (1 to 100) of each token and cost limit per day, week and month that raise an alert. */
        private List<Integer> thresholds = new ArrayList<>(List.of(80, 100));

        /** URL that each alert is posted to as JSON; none by default. */
        private @Nullable URI webhookUrl;

        /** How long one webhook attempt may take, connecting included. */
        private Duration webhookTimeout = Duration.ofSeconds(5);

        /** Attempts per alert before a failing webhook delivery is given up (and logged). */
        private int webhookMaxAttempts = 3;

        /** Delay before the second webhook attempt; it doubles for each further one. */
        private Duration webhookRetryDelay = Duration.ofSeconds(1);

        public List<Integer> getThresholds() {
            return this.thresholds;
        }

        public void setThresholds(List<Integer> thresholds) {
            this.thresholds = thresholds;
        }

        public @Nullable URI getWebhookUrl() {
            return this.webhookUrl;
        }

        public void setWebhookUrl(@Nullable URI webhookUrl) {
            this.webhookUrl = webhookUrl;
        }

        public Duration getWebhookTimeout() {
            return this.webhookTimeout;
        }

        public void setWebhookTimeout(Duration webhookTimeout) {
            this.webhookTimeout = webhookTimeout;
        }

        public int getWebhookMaxAttempts() {
            return this.webhookMaxAttempts;
        }

        public void setWebhookMaxAttempts(int webhookMaxAttempts) {
            this.webhookMaxAttempts = webhookMaxAttempts;
        }

        public Duration getWebhookRetryDelay() {
            return this.webhookRetryDelay;
        }

        public void setWebhookRetryDelay(Duration webhookRetryDelay) {
            this.webhookRetryDelay = webhookRetryDelay;
        }

    }

}
