-- Staff act on tasks: claim, assign, complete, reject, reopen. The version makes every change conditional on what the
-- person saw (a stale page gets 409, never overwrites another person's decision); due_at orders the queue after STAT
-- and gives it SLA colours; resolution keeps what closing a task of its kind needs (a critical call's read-back).
alter table task drop constraint task_status_check;
alter table task add constraint task_status_check
    check (status in ('open', 'on-hold', 'cancelled', 'done', 'rejected'));
alter table task add column version     int         not null default 0;
alter table task add column assignee    text;
alter table task add column due_at      timestamptz;
alter table task add column closed_by   text;
alter table task add column closed_at   timestamptz;
alter table task add column reason_code text;
alter table task add column resolution  jsonb;

update task set due_at = created_at + case priority when 'STAT' then interval '1 hour'
                                                    when 'ASAP' then interval '4 hours'
                                                    when 'URGENT' then interval '4 hours'
                                                    else interval '24 hours' end;
alter table task alter column due_at set not null;

drop index task_queue;
create index task_queue on task (tenant_id, status, environment, due_at);
