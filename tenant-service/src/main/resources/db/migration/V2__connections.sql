-- MLLP listeners. 'orders': the hospital pushes orders; 'results': the lab's LIS pushes results for this tenant.
-- Ingress opens one socket per active row.
create table mllp_endpoint (
    id              uuid primary key,
    tenant_id       text        not null,
    environment     text        not null,
    purpose         text        not null check (purpose in ('orders', 'results')),
    port            int         not null unique check (port between 1024 and 65535),
    -- Source addresses allowed to connect; empty means any (sandbox only, by convention).
    allowed_sources text[]      not null default '{}',
    created_at      timestamptz not null default now(),
    revoked_at      timestamptz,
    foreign key (tenant_id, environment) references environment (tenant_id, name)
);

-- Where results go back to the hospital, signed Standard Webhooks style.
create table webhook_destination (
    id          uuid primary key,
    tenant_id   text        not null,
    environment text        not null,
    url         text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz,
    foreign key (tenant_id, environment) references environment (tenant_id, name)
);

create unique index one_active_webhook_per_environment
    on webhook_destination (tenant_id, environment) where revoked_at is null;

-- Outbound signing secrets, 'whsec_' + base64. Kept in clear because signing needs them;
-- encryption at rest comes with the credential work.
create table signing_secret (
    id             uuid primary key,
    destination_id uuid        not null references webhook_destination (id),
    secret         text        not null check (secret like 'whsec\_%'),
    created_at     timestamptz not null default now(),
    revoked_at     timestamptz
);
