-- Staff work items. One 'review-new-order' task per new order event; the event id makes creation idempotent.
create table task (
    id                  uuid primary key,
    tenant_id           text        not null,
    environment         text        not null,
    kind                text        not null,
    status              text        not null default 'open' check (status in ('open', 'done')),
    source_event_id     uuid        not null unique,
    raw_message_id      text        not null,
    placer_order_number text,
    priority            text        not null,
    tests               text        not null,
    created_at          timestamptz not null default now()
);

create index task_queue on task (tenant_id, status, created_at);
