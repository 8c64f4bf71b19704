-- When a person's access last changed (created, role changed, disabled): every service refuses their tokens issued
-- before it, within seconds, through the tenant directory. Existing people keep the tokens they have.
alter table app_user add column access_changed_at timestamptz;
update app_user set access_changed_at = created_at;
alter table app_user alter column access_changed_at set not null;
alter table app_user alter column access_changed_at set default now();
