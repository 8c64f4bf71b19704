-- A task's id is now derived from its source and the source's time (Task.id): one task per source is the primary
-- key's job, and new ids append to its index. The unique index on the source, a second random-order index written
-- for every task, goes.
alter table task drop constraint task_source_event_id_key;
