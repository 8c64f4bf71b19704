-- The audit log: who/what/when/which tenant, pointing at messages and events, never copying clinical content.
-- Tamper-evident: each entry's hash covers its content and the previous entry's hash.
create table audit_entry (
    seq           bigserial primary key,
    id            uuid        not null unique,
    tenant_id     text        not null,
    environment   text,
    action        text        not null,
    outcome       text        not null,
    message_id    text,
    event_id      text,
    detail        text,
    actor         text        not null,
    occurred_at   timestamptz not null,
    recorded_at   timestamptz not null default now(),
    previous_hash text        not null,
    hash          text        not null unique
);

create index audit_entry_tenant on audit_entry (tenant_id, seq);
create index audit_entry_message on audit_entry (message_id);

-- Append-only, enforced by the database itself.
create function forbid_audit_change() returns trigger as $$
begin
    raise exception 'audit entries are append-only';
end;
$$ language plpgsql;

create trigger audit_entry_append_only
    before update or delete on audit_entry
    for each row execute function forbid_audit_change();
