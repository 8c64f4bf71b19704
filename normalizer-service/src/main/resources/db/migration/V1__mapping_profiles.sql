-- Each tenant's mapping profile per environment, every saved version kept: the newest is in force, and every
-- canonical event names the version that produced it, so an event can always be explained from its profile.
create table mapping_profile (
    tenant_id   text        not null,
    environment text        not null check (environment in ('sandbox', 'production')),
    version     int         not null check (version > 0),
    rules       jsonb       not null,
    saved_at    timestamptz not null default now(),
    saved_by    text        not null,
    primary key (tenant_id, environment, version)
);
