-- Nemotron4j governance schema. Applied by Nemotron4j's own Flyway instance with its own history table
-- (nemotron4j_schema_history), so the host application's migrations and history are never touched.
-- Every table carries the n4j_ prefix to stay out of the way of the host's own tables.

-- A team or application that uses the model.
create table n4j_tenant (
    id              uuid         primary key,
    name            varchar(100) not null unique,
    -- Periods (day, week, month) are computed from the clock in this zone; nothing resets them.
    time_zone       varchar(64)  not null default 'UTC',
    -- The host application's own principal name mapped to this tenant, if any.
    principal       varchar(200) unique,
    -- What of a request's content the audit keeps: NONE, SHA256, REDACTED or FULL.
    content_policy  varchar(16)  not null default 'NONE'
                    check (content_policy in ('NONE', 'SHA256', 'REDACTED', 'FULL')),
    enabled         boolean      not null default true,
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now()
);

-- API keys are shown once at creation; only a SHA-256 hash is kept. The prefix (the key's first characters,
-- not secret by themselves) finds the row without scanning.
create table n4j_api_key (
    id           uuid         primary key,
    tenant_id    uuid         not null references n4j_tenant (id) on delete cascade,
    name         varchar(100) not null,
    prefix       varchar(24)  not null unique,
    hash         bytea        not null check (octet_length(hash) = 32),
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
create index n4j_api_key_tenant on n4j_api_key (tenant_id);

-- Limits of one tenant; every limit is optional (null = no limit). Checks keep absurd values out even when a
-- row is written by hand.
create table n4j_tenant_limits (
    tenant_id              uuid          primary key references n4j_tenant (id) on delete cascade,
    tokens_per_day         bigint        check (tokens_per_day >= 0),
    tokens_per_week        bigint        check (tokens_per_week >= 0),
    tokens_per_month       bigint        check (tokens_per_month >= 0),
    cost_per_day           numeric(20,6) check (cost_per_day >= 0),
    cost_per_week          numeric(20,6) check (cost_per_week >= 0),
    cost_per_month         numeric(20,6) check (cost_per_month >= 0),
    -- Prices per 1000 tokens of each kind, in the currency the cost limits use.
    price_input_per_1k     numeric(20,8) not null default 0 check (price_input_per_1k >= 0),
    price_reasoning_per_1k numeric(20,8) not null default 0 check (price_reasoning_per_1k >= 0),
    price_output_per_1k    numeric(20,8) not null default 0 check (price_output_per_1k >= 0),
    requests_per_minute    integer       check (requests_per_minute >= 0),
    tokens_per_minute      bigint        check (tokens_per_minute >= 0),
    concurrent_requests    integer       check (concurrent_requests >= 0),
    max_tokens_per_request integer       check (max_tokens_per_request > 0),
    thinking_allowed       boolean       not null default true,
    thinking_default_budget integer      check (thinking_default_budget >= 0),
    thinking_max_budget    integer       check (thinking_max_budget >= 0),
    updated_at             timestamptz   not null default now()
);

-- Booked (settled) usage per tenant and local calendar day of the tenant's zone. Week and month totals are sums
-- of at most 31 of these rows, so a period "resets" simply because a new day, week or month has begun: there is
-- no reset job that could fail. Written in the same transaction as the audit row, so the two cannot drift.
create table n4j_usage_daily (
    tenant_id        uuid          not null references n4j_tenant (id) on delete cascade,
    day              date          not null,
    requests         bigint        not null default 0,
    input_tokens     bigint        not null default 0,
    reasoning_tokens bigint        not null default 0,
    output_tokens    bigint        not null default 0,
    cost             numeric(24,8) not null default 0,
    primary key (tenant_id, day)
);

-- Tokens and cost held by requests that were admitted and are not yet settled. A row whose lease ran out belongs
-- to a process that died; the sweeper removes it and marks the request abandoned.
create table n4j_reservation (
    request_id      uuid          primary key,
    tenant_id       uuid          not null references n4j_tenant (id) on delete cascade,
    started_at      timestamptz   not null,
    lease_until     timestamptz   not null,
    -- The tenant-local day the request's usage is booked on (the day it was admitted).
    day             date          not null,
    reserved_tokens bigint        not null check (reserved_tokens >= 0),
    reserved_cost   numeric(24,8) not null check (reserved_cost >= 0)
);
create index n4j_reservation_tenant on n4j_reservation (tenant_id);
create index n4j_reservation_lease on n4j_reservation (lease_until);

-- One row per request, partitioned by month of started_at so that old months are dropped as whole partitions
-- (no DELETE, no bloat, no VACUUM debt). Partitions are created ahead by GovernanceSchema; the default partition
-- only catches rows if that ever fell behind, so a request is never refused for a missing partition.
create table n4j_request_audit (
    id                uuid          not null,
    started_at        timestamptz   not null,
    tenant_id         uuid          not null,
    api_key_id        uuid,
    principal         varchar(200),
    model             varchar(200)  not null,
    thinking          boolean,
    thinking_budget   integer,
    temperature       double precision,
    max_tokens        integer       not null,
    prompt_tokens     integer       not null,
    reserved_tokens   bigint        not null,
    input_tokens      bigint,
    reasoning_tokens  bigint,
    output_tokens     bigint,
    cost              numeric(24,8),
    first_token_ms    bigint,
    duration_ms       bigint,
    finish_reason     varchar(64),
    outcome           varchar(16)   not null
                      check (outcome in ('STARTED', 'COMPLETED', 'REJECTED', 'FAILED', 'CANCELLED', 'ABANDONED')),
    reject_limit      varchar(32),
    detail            varchar(1000),
    client_address    varchar(64),
    trace_id          varchar(64),
    content           text,
    primary key (id, started_at)
) partition by range (started_at);
create table n4j_request_audit_default partition of n4j_request_audit default;
-- Admin queries: a tenant's requests over time (also the sliding per-minute windows of admission), and all
-- requests over time with an outcome filter.
create index n4j_request_audit_tenant_time on n4j_request_audit (tenant_id, started_at);
create index n4j_request_audit_time on n4j_request_audit (started_at, outcome);

-- Who changed what in the governance configuration, append-only; each row's hash covers its content and the
-- previous row's hash, so an edited or deleted row breaks the chain.
create table n4j_admin_audit (
    seq         bigint        primary key,
    at          timestamptz   not null,
    actor       varchar(200)  not null,
    action      varchar(64)   not null,
    entity      varchar(64)   not null,
    entity_id   varchar(100),
    before_json text,
    after_json  text,
    prev_hash   bytea         not null,
    hash        bytea         not null
);

-- Creates the monthly partition of n4j_request_audit that holds the given instant, if it is missing.
create function n4j_ensure_audit_partition(at timestamptz) returns text language plpgsql as $$
declare
    month_start timestamptz := date_trunc('month', at at time zone 'UTC') at time zone 'UTC';
    part        text := 'n4j_request_audit_' || to_char(at at time zone 'UTC', 'YYYY_MM');
begin
    if to_regclass(part) is null then
        execute format('create table %I partition of n4j_request_audit for values from (%L) to (%L)',
                       part, month_start, month_start + interval '1 month');
    end if;
    return part;
end
$$;

-- The admin audit is append-only in the database too: updates and deletes are refused. Someone with the rights to
-- drop this trigger can still tamper, which is what the hash chain is there to reveal.
create function n4j_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'n4j_admin_audit is append-only (% refused)', tg_op;
end
$$;
create trigger n4j_admin_audit_append_only before update or delete on n4j_admin_audit
    for each row execute function n4j_refuse_change();
