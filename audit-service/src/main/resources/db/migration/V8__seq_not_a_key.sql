-- seq comes from a sequence and the table is append-only, so it is unique by construction; every read goes through
-- the tenant's indexes ((tenant_id, seq) for pages, (tenant_id, chain, chain_seq) for verify, message_id for a
-- message's fate). Its primary-key B-tree was one of four index inserts per entry, guarding nothing.
alter table audit_entry drop constraint audit_entry_pkey;
