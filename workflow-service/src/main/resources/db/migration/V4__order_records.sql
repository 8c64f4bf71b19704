-- What each order came to and every result observation, kept for the tenant's exports. An order is named as its
-- hospital names it (the placer order number, else the filler's); its row holds the latest of its events.
create table order_record (
    tenant_id      text        not null,
    environment    text        not null,
    order_number   text        not null,
    status         text        not null check (status in ('received', 'on-hold', 'cancelled')),
    priority       text        not null,
    tests          text        not null,
    patient_id     text,
    ordered_at     timestamptz,
    received_at    timestamptz not null,
    updated_at     timestamptz not null,
    source         text        not null,
    raw_message_id text        not null,
    primary key (tenant_id, environment, order_number)
);

create index order_record_received on order_record (tenant_id, environment, received_at);

-- One row per observation of a result event; the event id and position make a redelivery insert nothing.
create table result_record (
    event_id           uuid        not null,
    position           int         not null,
    tenant_id          text        not null,
    environment        text        not null,
    order_number       text,
    result_status      text        not null,
    issued_at          timestamptz,
    test_code          text        not null,
    test_system        text,
    test_name          text,
    value              text,
    unit               text,
    reference_range    text,
    flags              text        not null,
    observation_status text,
    observed_at        timestamptz,
    received_at        timestamptz not null,
    raw_message_id     text        not null,
    primary key (event_id, position)
);

create index result_record_received on result_record (tenant_id, environment, received_at);
create index result_record_order on result_record (tenant_id, environment, order_number);
