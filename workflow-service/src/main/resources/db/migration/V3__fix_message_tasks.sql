-- A message Lab Ops acknowledged but could not map (no PID-3, no OBR, an unknown code) becomes a task for the
-- tenant's staff: the detail says which segment and field, never the patient's data.
alter table task add column detail text;
