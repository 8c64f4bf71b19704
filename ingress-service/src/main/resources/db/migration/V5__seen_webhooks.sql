-- The Standard Webhooks ids of signed pushes whose messages were stored, by sender (tenant/environment), so that a
-- replay within the timestamp tolerance is refused by whichever ingress instance it reaches. Only stored pushes are
-- here: a push answered 503 (nothing stored) is taken again when its sender retries it under the same id.
create table seen_webhook (
    sender     text        not null,
    webhook_id text        not null,
    seen_at    timestamptz not null default now(),
    primary key (sender, webhook_id)
);

create index seen_webhook_age on seen_webhook (seen_at);
