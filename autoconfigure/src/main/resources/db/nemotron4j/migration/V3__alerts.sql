-- Soft-limit alerts. One row per tenant, limit, period and threshold: the primary key is what makes an alert
-- fire exactly once even when several replicas settle requests of the same tenant at the same moment. Rows are
-- inserted by the settlement that first finds the period's booked usage at or over the threshold, in the same
-- transaction that books that usage.
create table n4j_quota_alert (
    tenant_id         uuid          not null references n4j_tenant (id) on delete cascade,
    -- A Limit with a period: TOKENS_PER_DAY/WEEK/MONTH or COST_PER_DAY/WEEK/MONTH.
    limit_name        varchar(32)   not null,
    -- The tenant-local first day of the period (the day itself, the week's Monday, the month's first day).
    period_start      date          not null,
    threshold_percent integer       not null check (threshold_percent between 1 and 100),
    -- Stable id for receivers of the webhook to recognise a redelivery.
    id                uuid          not null unique,
    raised_at         timestamptz   not null,
    limit_value       numeric(24,8) not null,
    used              numeric(24,8) not null,
    -- The request whose settlement crossed the threshold.
    request_id        uuid          not null,
    primary key (tenant_id, limit_name, period_start, threshold_percent)
);
create index n4j_quota_alert_raised on n4j_quota_alert (raised_at);
