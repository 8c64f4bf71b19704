-- Tenants can be suspended: intake and deliveries stop; people can still sign in and see why.
alter table tenant add column status text not null default 'active' check (status in ('active', 'suspended'));
alter table tenant add column updated_at timestamptz not null default now();

-- The walking skeleton kept one webhook and its secrets in clear; no deployment holds data yet, so they are
-- replaced outright by connections by direction and encrypted secrets.
drop table signing_secret;
drop table webhook_destination;

-- One connection per tenant, environment and direction. Sandbox connections are active at once; production ones
-- only after go-live. Settings hold what is not secret; secret values live encrypted in connection_secret.
create table connection (
    tenant_id    text        not null,
    environment  text        not null,
    direction    text        not null check (direction in ('receive-orders', 'pull-data', 'send-results')),
    active       boolean     not null,
    settings     jsonb       not null default '{}',
    updated_at   timestamptz not null default now(),
    updated_by   text        not null,
    activated_at timestamptz,
    activated_by text,
    primary key (tenant_id, environment, direction),
    foreign key (tenant_id, environment) references environment (tenant_id, name)
);

-- Secret values Lab Ops must be able to use again (signing secrets, the hospital's client secret or our private key
-- for their FHIR server, credentials for a result destination): AES-GCM under the key named by key_id, so the key
-- can rotate. Never returned after creation.
create table connection_secret (
    id          uuid primary key,
    tenant_id   text        not null,
    environment text        not null,
    direction   text        not null,
    kind        text        not null check (kind in ('signing', 'client-secret', 'private-key', 'destination-credential')),
    key_id      text        not null,
    ciphertext  text        not null,
    -- A short SHA-256 prefix so people can tell secrets apart without seeing them.
    fingerprint text        not null,
    created_at  timestamptz not null default now(),
    created_by  text        not null,
    -- Set when a newer secret replaces this one: valid until then (the rotation overlap).
    expires_at  timestamptz,
    foreign key (tenant_id, environment, direction) references connection (tenant_id, environment, direction)
);

create index connection_secret_valid on connection_secret (tenant_id, environment, direction, kind, expires_at);

alter table mllp_endpoint add column tls boolean not null default false;
alter table mllp_endpoint add column created_by text not null default 'system';
alter table mllp_endpoint add column revoked_by text;
create unique index mllp_endpoint_active_port on mllp_endpoint (port) where revoked_at is null;
alter table mllp_endpoint drop constraint mllp_endpoint_port_key;

-- Hospital API credentials: client_credentials clients of the token issuer, one tenant and environment each.
create table api_credential (
    id          uuid primary key,
    tenant_id   text        not null,
    environment text        not null,
    client_id   text        not null unique,
    name        text        not null,
    scopes      text[]      not null,
    created_at  timestamptz not null default now(),
    created_by  text        not null,
    revoked_at  timestamptz,
    revoked_by  text,
    foreign key (tenant_id, environment) references environment (tenant_id, name)
);

-- Client secrets as slow (bcrypt) hashes only. Two are valid during a rotation overlap.
create table api_credential_secret (
    id            uuid primary key,
    credential_id uuid        not null references api_credential (id),
    secret_hash   text        not null,
    created_at    timestamptz not null default now(),
    created_by    text        not null,
    expires_at    timestamptz
);

-- The production go-live checklist, per tenant and direction: who confirmed each item, when, and a note
-- (the contact's name, the agreed window...).
create table go_live_item (
    tenant_id    text        not null references tenant (id),
    direction    text        not null,
    item         text        not null,
    note         text        not null,
    completed_at timestamptz not null default now(),
    completed_by text        not null,
    primary key (tenant_id, direction, item)
);

-- The first time a direction worked in sandbox: evidence for going live.
create table sandbox_evidence (
    tenant_id  text        not null references tenant (id),
    direction  text        not null,
    seen_at    timestamptz not null,
    reference  text        not null,
    primary key (tenant_id, direction)
);

-- People who sign in to the console. Lab Ops admins and ops belong to no tenant; the other roles to one.
create table app_user (
    id            uuid primary key,
    username      text        not null unique check (username ~ '^[A-Za-z0-9._@-]{3,64}$'),
    display_name  text        not null,
    password_hash text        not null,
    role          text        not null check (role in ('labops-admin', 'tenant-admin', 'lab-staff', 'ops')),
    tenant_id     text references tenant (id),
    created_at    timestamptz not null default now(),
    created_by    text        not null,
    disabled_at   timestamptz,
    check ((role in ('labops-admin', 'ops')) = (tenant_id is null))
);

-- The token issuer's RSA signing key, private part encrypted like every other secret, shared by all instances.
create table token_signing_key (
    kid         text primary key,
    public_key  text        not null,
    key_id      text        not null,
    ciphertext  text        not null,
    created_at  timestamptz not null default now()
);
