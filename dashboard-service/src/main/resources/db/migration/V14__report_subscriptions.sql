-- Weekly dialogue reports sent by e-mail: who receives which account's report, and each week's sending (one row per
-- subscription and week, so that a week is sent once whatever the restarts and replicas).
create table report_subscription (
    id         bigserial primary key,
    account_id text not null,
    emails     text[] not null,
    lang       text not null,
    created_by text not null,
    created_at timestamp(6) with time zone not null,
    deleted    boolean not null default false
);

create table report_sending (
    subscription_id bigint not null references report_subscription (id),
    week            text not null,
    status          text not null,
    attempts        integer not null default 0,
    next_attempt_at timestamp(6) with time zone not null,
    last_error      text,
    sent_at         timestamp(6) with time zone,
    primary key (subscription_id, week)
);

create index report_sending_due on report_sending (next_attempt_at) where status = 'pending';
