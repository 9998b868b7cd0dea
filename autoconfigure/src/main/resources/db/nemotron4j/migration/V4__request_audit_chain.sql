-- The request audit becomes tamper-evident: a hash chain per tenant, extended when a row reaches its final state
-- (REJECTED at admission; COMPLETED, FAILED or CANCELLED at settlement; ABANDONED by the lease sweeper), always
-- under the tenant's row lock, so each tenant's chain has one order across every replica without a global lock.
-- The hashes are computed by RequestAuditChain; the database keeps them and refuses to change final rows.

-- The head of the tenant's chain: the last link's position and hash (all zeros and 0 before the first link).
-- Verification compares the chain's end with it, so deleting the newest rows is found too.
alter table n4j_tenant
    add column audit_chain_seq  bigint not null default 0 check (audit_chain_seq >= 0),
    add column audit_chain_head bytea  not null default decode(repeat('00', 32), 'hex')
                                       check (octet_length(audit_chain_head) = 32);

-- A final row's link: its position in its tenant's chain (1, 2, 3, ... without gaps), the previous link's hash and
-- its own hash over the canonical encoding of every audited column. Rows finalised before this migration and
-- STARTED rows have none.
alter table n4j_request_audit
    add column chain_seq bigint,
    add column prev_hash bytea,
    add column hash      bytea,
    add constraint n4j_request_audit_link check (
        (chain_seq is null and prev_hash is null and hash is null)
        or (chain_seq > 0 and octet_length(prev_hash) = 32 and octet_length(hash) = 32 and outcome <> 'STARTED'));
-- Verification walks each tenant's chain in order.
create index n4j_request_audit_chain on n4j_request_audit (tenant_id, chain_seq) where chain_seq is not null;

-- Final rows are immutable: updates and deletes of a row whose outcome is no longer STARTED are refused (a STARTED
-- row is still finalised by an update). Retention drops whole partitions, which fires no row trigger. Someone who
-- may disable this trigger can still edit rows; the chain is what reveals it.
create function n4j_refuse_final_audit_change() returns trigger language plpgsql as $$
begin
    if old.outcome <> 'STARTED' then
        raise exception 'request % is final (%); the request audit refuses % of final rows',
            old.id, old.outcome, tg_op;
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger n4j_request_audit_final_rows before update or delete on n4j_request_audit
    for each row execute function n4j_refuse_final_audit_change();

-- Links kept when retention drops the partitions that held them, so that the chain of what survives still verifies.
-- For each tenant a purge records the dropped link just before the tenant's oldest surviving link (is_start: the
-- surviving chain starts from its hash) and every dropped link after it (a request started in a dropped month but
-- finalised after a row of a kept month). Written in the purge's transaction, append-only.
create table n4j_request_audit_anchor (
    tenant_id   uuid        not null,
    chain_seq   bigint      not null check (chain_seq > 0),
    request_id  uuid        not null,
    prev_hash   bytea       not null check (octet_length(prev_hash) = 32),
    hash        bytea       not null check (octet_length(hash) = 32),
    is_start    boolean     not null,
    anchored_at timestamptz not null,
    primary key (tenant_id, chain_seq)
);
create function n4j_refuse_anchor_change() returns trigger language plpgsql as $$
begin
    raise exception 'n4j_request_audit_anchor is append-only (% refused)', tg_op;
end
$$;
create trigger n4j_request_audit_anchor_append_only before update or delete on n4j_request_audit_anchor
    for each row execute function n4j_refuse_anchor_change();
