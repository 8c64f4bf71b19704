-- How each order's specimen is collected: in the lab, or at home (where and when, as the order said). The address is
-- the patient's: kept with the order for the people who schedule the visit, never in a task's detail or the audit log.
alter table order_record add column collection        text not null default 'in-lab'
    check (collection in ('in-lab', 'home'));
alter table order_record add column collection_address text;
alter table order_record add column window_start       timestamptz;
alter table order_record add column window_end         timestamptz;
