-- When each order reached each step, for turnaround reporting (ordered in the EHR -> received -> collected ->
-- resulted -> released -> delivered): the first time it got there.
alter table order_record add column accepted_at  timestamptz;
alter table order_record add column collected_at timestamptz;
alter table order_record add column resulted_at  timestamptz;
alter table order_record add column released_at  timestamptz;
