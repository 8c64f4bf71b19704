-- How a tenant's results are released to the hospital. No row: the default (a final result verified by the lab's
-- LIS is released when it arrives; preliminary results are not released).
create table release_policy (
    tenant_id           text        primary key references tenant (id),
    review_all          boolean     not null,
    review_tests        text[]      not null,
    release_preliminary boolean     not null,
    updated_at          timestamptz not null,
    updated_by          text        not null
);
