-- What became of each result under the tenant's release policy: released (on arrival or by a person), waiting for a
-- person's review (the event kept until then), withheld (a preliminary result the tenant does not want sent) or
-- retracted (a reviewer refused it, with a reason). Keyed by the result event: a redelivered result decides nothing.
create table result_release (
    event_id       uuid        primary key,
    review_id      uuid        unique,
    tenant_id      text        not null,
    environment    text        not null,
    order_number   text,
    status         text        not null check (status in ('released', 'awaiting-review', 'withheld', 'retracted')),
    result_status  text        not null,
    payload        bytea,
    entered_by     text,
    decided_by     text,
    decided_at     timestamptz,
    reason_code    text,
    received_at    timestamptz not null
);

create index result_release_order on result_release (tenant_id, environment, order_number);
