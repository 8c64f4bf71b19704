-- A copy is a copy only when it is the same message: the original's content digest (SHA-256 of the payload bytes), so
-- a later message under the same sender's id with other content is told apart (dead-lettered as a conflict, never
-- dropped as a copy). Rows written before this column have none and compare as copies.
alter table raw_original add column content_hash bytea;
