-- Orders change after their task was created: a cancel closes it, a hold parks it, a release reopens it.
-- Critical results (HH, LL, AA) open a call-back task of their own.
alter table task drop constraint task_status_check;
alter table task add constraint task_status_check check (status in ('open', 'on-hold', 'cancelled', 'done'));
alter table task add column updated_at timestamptz;
create index task_order on task (tenant_id, environment, placer_order_number);
