-- What analysis derives from each mention, for filters, search and windowed graphs.
alter table mention add column lang_detected boolean not null default false;
alter table mention add column hashtags text[] not null default '{}';
alter table mention add column links text[] not null default '{}';
alter table mention add column query text;
alter table mention add column search tsvector generated always as (to_tsvector('simple', text)) stored;

create index mention_search_idx on mention using gin (search);
create index mention_hashtags_idx on mention using gin (hashtags);
create index mention_author_recent_idx on mention (author_id, created_at desc, id desc);

-- The relationships each mention makes: windows of the graph are aggregated from here.
create table mention_relationship (
    mention_id text not null,
    type       text not null,
    source_id  text not null,
    target_id  text not null,
    created_at timestamp(6) with time zone not null,
    primary key (mention_id, type, target_id)
);

create index mention_relationship_time_idx on mention_relationship (created_at);
create index mention_relationship_source_idx on mention_relationship (source_id, created_at);
create index mention_relationship_target_idx on mention_relationship (target_id, created_at);

alter table conversation add column organisation_took_part boolean not null default false;

create index conversation_size_idx on conversation (size desc, id desc);
create index conversation_depth_idx on conversation (depth desc, id desc);
create index conversation_participants_idx on conversation (participants desc, id desc);

-- The whole-history relationship graph (topic `relationships`); weight 0 keeps the version of one that is gone.
create table relationship (
    source_id     text not null,
    target_id     text not null,
    type          text not null,
    weight        integer not null,
    first_seen_at timestamp(6) with time zone,
    last_seen_at  timestamp(6) with time zone,
    version       bigint not null,
    primary key (source_id, target_id, type)
);

create index relationship_target_idx on relationship (target_id, type);
create index relationship_weight_idx on relationship (weight desc) where weight > 0;

-- Accounts: names from the mentions, graph metrics from topic `account-metrics`.
create table account (
    id               text primary key,
    platform         text not null,
    handle           text,
    display_name     text,
    last_post_at     timestamp(6) with time zone,
    run_id           bigint,
    metrics_at       timestamp(6) with time zone,
    pagerank         double precision,
    pagerank_by_type jsonb,
    core             integer,
    betweenness      double precision,
    reciprocity      double precision,
    community        integer,
    degree           integer,
    weighted_degree  bigint,
    degrees          jsonb
);

create index account_pagerank_idx on account (pagerank desc nulls last, id);
create index account_betweenness_idx on account (betweenness desc nulls last, id);
create index account_degree_idx on account (degree desc nulls last, id);
create index account_community_idx on account (community, pagerank desc nulls last);

-- Dialogue metrics of the organisation accounts for the standard windows (topic `dialogue-metrics`).
create table dialogue_metric (
    account_id  text not null,
    time_window text not null,
    computed_at timestamp(6) with time zone not null,
    metrics     jsonb not null,
    primary key (account_id, time_window)
);
