-- REST requests sent with an Idempotency-Key: the body's hash (a repeat must be the same request) and, once every
-- order in it is in Kafka, the answer given, so a repeat gets the first answer. Orders themselves are guarded against
-- double publishing by seen_message, per order.
create table rest_request (
    tenant_id       text        not null,
    environment     text        not null,
    idempotency_key text        not null,
    body_sha256     text        not null,
    answer          text,
    created_at      timestamptz not null default now(),
    primary key (tenant_id, environment, idempotency_key)
);
