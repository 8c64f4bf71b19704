-- Entries are chained with a keyed MAC (HMAC-SHA256) under the key named here, so whoever can write this table but
-- holds no key cannot recompute a chain they changed. Entries appended before have none: plain SHA-256.
alter table audit_entry add column key_id text;
