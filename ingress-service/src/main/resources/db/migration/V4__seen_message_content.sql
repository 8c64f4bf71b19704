-- A copy is a copy only when it is the same message: the content's SHA-256 (hex) is kept with the sender's id, and the
-- same id with other content within the window is a conflict, refused, never answered as a copy. Null for claims made
-- before this column existed (treated as the same content until they expire).
alter table seen_message add column content_sha256 text;
