-- A tenant is one hospital client; each has a sandbox and a production environment.
create table tenant (
    id         text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       text        not null,
    created_at timestamptz not null default now()
);

create table environment (
    tenant_id text not null references tenant (id),
    name      text not null check (name in ('sandbox', 'production')),
    primary key (tenant_id, name)
);
