-- CSV imports awaiting staff review: nothing here is an order until a person approves it.
create table import_mapping (
    tenant_id   text        not null,
    environment text        not null,
    mapping     text        not null,
    saved_by    text        not null,
    saved_at    timestamptz not null default now(),
    primary key (tenant_id, environment)
);

create table import_batch (
    id          uuid primary key,
    tenant_id   text        not null,
    environment text        not null,
    file_name   text,
    uploaded_by text        not null,
    uploaded_at timestamptz not null default now(),
    mapping     text        not null
);

create index import_batch_tenant on import_batch (tenant_id, environment, uploaded_at desc);

create table import_row (
    batch_id     uuid   not null references import_batch (id),
    row_number   bigint not null,
    row_values   text   not null,
    order_json   text,
    reasons      text   not null,
    message_id   uuid,
    approved_by  text,
    approved_at  timestamptz,
    primary key (batch_id, row_number)
);
