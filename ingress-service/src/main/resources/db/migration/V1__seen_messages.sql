-- What every ingress instance has taken in, by sender and control id (MSH-3|MSH-4|MSH-10), so a message sent twice
-- (a resend after a lost ACK, a replayed feed) is acknowledged again but published once. A claim is 'pending' from
-- the moment an instance takes the message until Kafka has it ('stored'); a pending claim older than the producer's
-- delivery timeout belongs to an instance that died, and the next copy of the message takes it over.
-- Unlogged: no WAL on the socket path. A database crash empties it, after which a copy is taken as new: a duplicate
-- published at worst, never a message lost.
create unlogged table seen_message (
    tenant_id       text        not null,
    environment     text        not null,
    idempotency_key text        not null,
    message_id      uuid        not null,
    state           text        not null check (state in ('pending', 'stored')),
    claimed_at      timestamptz not null default now(),
    primary key (tenant_id, environment, idempotency_key)
);

create index seen_message_age on seen_message (claimed_at);
