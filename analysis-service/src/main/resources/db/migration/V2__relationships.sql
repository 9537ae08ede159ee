-- What each mention says about relationships, normalised once when it is stored.
alter table mention add column mentioned_ids text[] not null default '{}';
alter table mention add column hashtags text[] not null default '{}';
alter table mention add column links text[] not null default '{}';
-- Authors of the posts this one quotes or reposts, or answers when the platform did not say: resolved when
-- that post is stored, whichever of the two arrives first.
alter table mention add column quote_author_id text;
alter table mention add column repost_author_id text;
-- Where lang came from: the platform, or detected from the text.
alter table mention add column lang_detected boolean not null default false;

create index mention_author_created_idx on mention (author_id, created_at);
create index mention_created_idx on mention (created_at);
-- Mentions still waiting for the author of the post they answer, quote or repost (small: most are resolved).
create index mention_pending_reply_idx on mention (reply_to_id)
    where reply_to_id is not null and reply_to_author_id is null;
create index mention_pending_quote_idx on mention (quote_of)
    where quote_of is not null and quote_author_id is null;
create index mention_pending_repost_idx on mention (repost_of)
    where repost_of is not null and repost_author_id is null;

-- The relationship graph over the whole history: one row per (source, target, type), the sum of the stored,
-- undeleted mentions that make that edge. Windows are computed from the mentions themselves.
create table relationship (
    source_id     text not null,
    target_id     text not null,
    type          text not null check (type in ('reply', 'mention', 'quote', 'repost')),
    weight        integer not null,
    first_seen_at timestamp(6) with time zone not null,
    last_seen_at  timestamp(6) with time zone not null,
    -- Grows with every change, so that consumers of topic `relationships` keep the latest state.
    version       bigint not null default 1,
    primary key (source_id, target_id, type)
);

-- The version a relationship had when its last mention went away, so that a later one continues from it.
create table relationship_removal (
    source_id text not null,
    target_id text not null,
    type      text not null,
    version   bigint not null,
    primary key (source_id, target_id, type)
);

create index relationship_target_idx on relationship (target_id, type);

-- The organisation's own accounts, as the listening queries (topic `queries`) name them.
create table organisation_account (
    query_id   text not null,
    query_name text not null,
    account_id text not null,
    primary key (query_id, account_id)
);

create index organisation_account_account_idx on organisation_account (account_id);

-- When the account's handle and display name were last given, so that the latest wins whatever the arrival order.
alter table account add column handle_seen_at timestamp(6) with time zone;
alter table account add column display_name_seen_at timestamp(6) with time zone;
update account set handle_seen_at = last_seen_at where handle is not null;
update account set display_name_seen_at = last_seen_at where display_name is not null;

alter table conversation add column organisation_took_part boolean not null default false;

-- Graph metrics per account, recomputed on a schedule over the whole graph.
create table account_metric (
    account_id       text primary key,
    run_id           bigint not null,
    pagerank         double precision not null,
    pagerank_by_type jsonb not null,
    core             integer not null,
    betweenness      double precision not null,
    reciprocity      double precision not null,
    community        integer not null,
    degrees          jsonb not null
);

create index account_metric_pagerank_idx on account_metric (pagerank desc);

create table graph_run (
    id              bigint primary key,
    started_at      timestamp(6) with time zone not null,
    finished_at     timestamp(6) with time zone not null,
    accounts        integer not null,
    relationships   integer not null,
    communities     integer not null,
    modularity      double precision not null,
    duration_millis bigint not null
);

-- Mentions that interact with an organisation account (answer, name, quote or repost it): where dialogue metrics
-- start, without an index on every target column of every mention.
create table organisation_interaction (
    account_id text not null,
    mention_id text not null,
    created_at timestamp(6) with time zone not null,
    primary key (account_id, mention_id)
);

create index organisation_interaction_time_idx on organisation_interaction (account_id, created_at);
