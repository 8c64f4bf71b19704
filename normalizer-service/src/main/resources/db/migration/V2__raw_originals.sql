-- The first raw message normalized under each sender's id (tenant, environment, idempotency key: MSH-3|MSH-4|MSH-10,
-- an Idempotency-Key), remembered by Lab Ops' id of it. A later message under the same sender's id with another Lab
-- Ops id is a copy (a resend after a lost ACK, a replayed feed, the same message sent to two ingress instances): it
-- is not normalized again. Reading the original itself again (a rolled-back batch, a dead letter replayed) finds
-- its own id and is normalized.
-- Unlogged, like ingress.seen_message: a database crash empties it, after which a copy is normalized as new (a
-- duplicate event at worst, never a message lost).
create unlogged table raw_original (
    tenant_id       text        not null,
    environment     text        not null,
    idempotency_key text        not null,
    message_id      text        not null,
    first_seen_at   timestamptz not null default now(),
    primary key (tenant_id, environment, idempotency_key)
);

create index raw_original_age on raw_original (first_seen_at);
