-- One chain per tenant and source partition ('labops.raw.hl7v2-3'): a partition's records are appended by the one
-- consumer that owns it (its consumed_position row locked in the same transaction), so one tenant's entries from
-- different partitions append in parallel, without the per-tenant lock that made one busy hospital one thread's work.
-- Entries chained per tenant before ('tenant') and across tenants ('global') stay as they are and verify as before;
-- tenant_seq becomes each chain's own count.
alter table audit_entry drop constraint audit_entry_chain_check;
alter table audit_entry rename column tenant_seq to chain_seq;
drop index audit_entry_tenant_chain;
create unique index audit_entry_chain on audit_entry (tenant_id, chain, chain_seq);
