-- The order lifecycle: received -> accepted -> collection-scheduled -> collected -> in-progress -> resulted -> released
-- -> delivered, or on-hold, cancelled, rejected. held_from is what a release from hold returns the order to.
alter table order_record drop constraint order_record_status_check;
alter table order_record add constraint order_record_status_check
    check (status in ('received', 'accepted', 'collection-scheduled', 'collected', 'in-progress', 'resulted',
                      'released', 'delivered', 'on-hold', 'cancelled', 'rejected'));
alter table order_record add column held_from text;
