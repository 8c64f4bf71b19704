-- Each tenant's entries form their own chain: an entry's previous_hash is the hash of the same tenant's previous
-- entry, so tenants append in parallel without one global lock, and a tenant's log is verified on its own.
-- Entries written before this migration were chained across tenants ('global'); they stay as they are (the log is
-- append-only) and verify by their own content hash. The first per-tenant entry chains to the tenant's last one.
alter table audit_entry add column chain text not null default 'global' check (chain in ('global', 'tenant'));
alter table audit_entry add column tenant_seq bigint;
create unique index audit_entry_tenant_chain on audit_entry (tenant_id, tenant_seq) where chain = 'tenant';
