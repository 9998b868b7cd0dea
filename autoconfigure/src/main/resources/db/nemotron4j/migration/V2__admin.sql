-- Settings of the admin API that must be shared by every replica: one row, created here.
create table n4j_admin_settings (
    -- Always true: a primary key that admits exactly one row.
    id                     boolean     primary key default true check (id),
    -- Whole months of request audit kept before the current one; older monthly partitions are purged.
    audit_retention_months integer     not null default 12 check (audit_retention_months between 1 and 120),
    updated_at             timestamptz not null default now()
);
insert into n4j_admin_settings default values;

-- Audit search pages newest first with a keyset cursor on (started_at, id).
create index n4j_request_audit_time_id on n4j_request_audit (started_at desc, id desc);
