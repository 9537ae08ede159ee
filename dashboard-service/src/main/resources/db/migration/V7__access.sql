-- Who may use Palabre: users, their API tokens and web sessions, failed logins (for rate limiting), and the audit log
-- of every write across the services.

-- Passwords as bcrypt hashes (modular crypt format); never the password itself.
create table app_user (
    username      text primary key,
    role          text not null check (role in ('analyst', 'operator', 'admin')),
    password_hash text not null,
    created_at    timestamp(6) with time zone not null default now(),
    created_by    text not null,
    updated_at    timestamp(6) with time zone not null default now()
);

-- API tokens: the bcrypt hash of the secret, never the secret. Tokens are revoked, never deleted, so that the audit log
-- can name them. `version` grows with each change; `published_version` is the last one the broker acknowledged on
-- topic access-tokens (an outbox by state: what is not published yet is published again).
create table api_token (
    id                text primary key,
    username          text not null,
    name              text not null,
    role              text not null check (role in ('analyst', 'operator', 'admin')),
    secret_hash       text not null,
    created_at        timestamp(6) with time zone not null,
    created_by        text not null,
    expires_at        timestamp(6) with time zone not null,
    revoked_at        timestamp(6) with time zone,
    revoked_by        text,
    version           bigint not null default 1,
    published_version bigint not null default 0
);
create index api_token_username on api_token (username);
create index api_token_unpublished on api_token (id) where published_version < version;

-- Web UI sessions, by the SHA-256 of the cookie's value (a random 256-bit secret), with their CSRF token.
create table web_session (
    id_hash    text primary key,
    username   text not null references app_user (username) on delete cascade,
    csrf_token text not null,
    created_at timestamp(6) with time zone not null default now(),
    expires_at timestamp(6) with time zone not null
);
create index web_session_username on web_session (username);

-- Failed logins of the last hours, by user name and by client address.
create table login_failure (
    username text not null,
    address  text not null,
    at       timestamp(6) with time zone not null default now()
);
create index login_failure_username on login_failure (username, at);
create index login_failure_address on login_failure (address, at);

-- Every write of every service: who did what to which thing, and whether it was allowed. `id` comes from the service
-- that recorded the event, so that an event delivered twice is stored once; `seq` orders the log for paging.
create table audit_event (
    seq     bigserial primary key,
    id      text not null unique,
    at      timestamp(6) with time zone not null,
    service text not null,
    actor   text not null,
    via     text not null,
    action  text not null,
    target  text,
    outcome text not null,
    detail  jsonb
);
create index audit_event_at on audit_event (at desc, seq desc);
create index audit_event_actor on audit_event (actor, seq desc);
create index audit_event_action on audit_event (action, seq desc);
