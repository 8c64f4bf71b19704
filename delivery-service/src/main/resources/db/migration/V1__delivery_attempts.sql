-- Every attempt to deliver a result, successful or not. A result is delivered at most once.
create table delivery_attempt (
    id              uuid primary key,
    result_event_id uuid        not null,
    tenant_id       text        not null,
    environment     text        not null,
    destination_id  uuid,
    attempt         int         not null,
    outcome         text        not null check (outcome in ('delivered', 'failed')),
    status_code     int,
    reason          text,
    attempted_at    timestamptz not null default now()
);

create index delivery_attempt_result on delivery_attempt (result_event_id);
create unique index delivered_once on delivery_attempt (result_event_id) where outcome = 'delivered';
