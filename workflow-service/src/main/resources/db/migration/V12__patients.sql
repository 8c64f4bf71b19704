-- The patients the hospital sent (PID, ADT, FHIR Patient), as staff need them to call and visit: one row per patient
-- (its medical record number, else its first identifier, as order_record.patient_id names it). Shown only to roles
-- allowed to see patient data, each view audited.
create table patient (
    tenant_id      text        not null,
    environment    text        not null,
    patient_id     text        not null,
    family         text,
    given          text,
    birth_date     date,
    address        text,
    phone          text,
    updated_at     timestamptz not null,
    raw_message_id text,
    primary key (tenant_id, environment, patient_id)
);

-- The patient a task without an order is about (a patient-identity task); an order's tasks reach their patient
-- through the order.
create table patient_task (
    task_id    uuid primary key references task (id),
    patient_id text not null
);
