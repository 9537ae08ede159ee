-- Alert rules, the alerts they raise (fired, then resolved; kept as history), their deliveries (an outbox: written in
-- the transaction that fires or resolves the alert, sent after it commits, retried with backoff), and what a team
-- did with the inbox of people waiting for an answer.
create table alert_rule (
    id               bigserial primary key,
    name             text not null,
    type             text not null,
    account_id       text,
    query            text,
    hashtag          text,
    threshold        double precision not null,
    window_minutes   integer not null,
    min_count        integer not null,
    cooldown_minutes integer not null,
    webhook_url      text,
    webhook_format   text,
    webhook_secret   text,
    emails           text[] not null default '{}',
    enabled          boolean not null default true,
    deleted          boolean not null default false,
    created_by       text not null,
    created_at       timestamp(6) with time zone not null,
    updated_at       timestamp(6) with time zone not null,
    evaluated_at     timestamp(6) with time zone
);

-- state: fired, then resolved. A condition a rule finds already holding where it announces only what changes (an
-- account already in a ranking when the rule first reads it) is recorded unannounced: known, never delivered.
create table alert (
    id          bigserial primary key,
    rule_id     bigint not null references alert_rule (id),
    key         text not null,
    state       text not null,
    announced   boolean not null,
    summary     text not null,
    details     jsonb not null,
    fired_at    timestamp(6) with time zone not null,
    resolved_at timestamp(6) with time zone,
    evidence_at timestamp(6) with time zone
);

create unique index alert_open on alert (rule_id, key) where state <> 'resolved';
create index alert_recent on alert (fired_at desc, id desc);
create index alert_rule_recent on alert (rule_id, key, fired_at desc);

create table alert_delivery (
    id              bigserial primary key,
    alert_id        bigint not null references alert (id),
    event           text not null,
    channel         text not null,
    target          text not null,
    status          text not null,
    attempts        integer not null default 0,
    next_attempt_at timestamp(6) with time zone not null,
    last_error      text,
    created_at      timestamp(6) with time zone not null,
    delivered_at    timestamp(6) with time zone
);

create index alert_delivery_due on alert_delivery (next_attempt_at) where status = 'pending';
create index alert_delivery_alert on alert_delivery (alert_id);
create index alert_delivery_recent on alert_delivery (created_at desc, id desc);

create table inbox_item (
    account_id  text not null,
    mention_id  text not null,
    assigned_to text,
    assigned_by text,
    assigned_at timestamp(6) with time zone,
    handled_by  text,
    handled_at  timestamp(6) with time zone,
    primary key (account_id, mention_id)
);
