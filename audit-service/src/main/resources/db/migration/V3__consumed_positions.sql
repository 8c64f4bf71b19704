-- How far the log has appended each partition it reads, written in the same transaction as the entries: a redelivered
-- record (after a rebalance or a restart) is recognised by its offset alone, so appending never looks up earlier
-- entries (a look-up by id of every record in a batch scanned the whole growing table once the planner chose a
-- generic plan).
create table consumed_position (
    topic       text   not null,
    partition   int    not null,
    next_offset bigint not null,
    primary key (topic, partition)
);
