-- When an order's first released result reached the hospital: the last segment of turnaround reporting.
alter table order_record add column delivered_at timestamptz;
