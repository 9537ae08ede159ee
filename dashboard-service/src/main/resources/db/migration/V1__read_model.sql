-- dashboard-service's read model, fed from analysis-service's topics.
create table conversation (
    id                text primary key,
    root_present      boolean not null,
    size              integer not null,
    depth             integer not null,
    participants      integer not null,
    platforms         text[] not null,
    languages         text[] not null,
    first_activity_at timestamp(6) with time zone not null,
    last_activity_at  timestamp(6) with time zone not null,
    max_branching     integer not null,
    updated_at        timestamp(6) with time zone not null
);

create index conversation_recent_idx on conversation (last_activity_at desc, id desc);

create table mention (
    id                  text primary key,
    conversation_id     text not null,
    platform            text not null,
    kind                text not null,
    created_at          timestamp(6) with time zone not null,
    author_id           text not null,
    author_handle       text,
    author_display_name text,
    text                text not null,
    lang                text,
    url                 text,
    reply_to_id         text,
    quote_of            text,
    repost_of           text,
    deleted             boolean not null,
    edited              boolean not null
);

create index mention_conversation_idx on mention (conversation_id, created_at);
create index mention_recent_idx on mention (created_at desc, id desc);
create index mention_platform_recent_idx on mention (platform, created_at desc, id desc);

create table merged_conversation (
    id      text primary key,
    into_id text not null
);

create index merged_conversation_into_idx on merged_conversation (into_id);
