-- Mentions as analysis-service stores them: the latest version of each post, with the conversation it belongs to.
create table mention (
    id                     text primary key,
    platform               text not null,
    kind                   text not null,
    created_at             timestamp(6) with time zone not null,
    author_id              text not null,
    lang                   text,
    reply_to_id            text,
    reply_to_author_id     text,
    stated_conversation_id text,
    conversation_id        text not null,
    quote_of               text,
    repost_of              text,
    deleted                boolean not null default false,
    edited                 boolean not null default false,
    stored_at              timestamp(6) with time zone not null default now(),
    payload                text not null
);

create index mention_conversation_idx on mention (conversation_id);

-- A delete that arrived before the post it deletes: the post is stored as deleted when it comes.
create table mention_tombstone (
    id         text primary key,
    deleted_at timestamp(6) with time zone not null
);

create table account (
    id            text primary key,
    platform      text not null,
    handle        text,
    display_name  text,
    bot           boolean not null default false,
    first_seen_at timestamp(6) with time zone not null,
    last_seen_at  timestamp(6) with time zone not null
);

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

-- Conversations found to be fragments of another, kept flat: into_id is always a live conversation.
create table merged_conversation (
    id        text primary key,
    into_id   text not null,
    merged_at timestamp(6) with time zone not null
);

create index merged_conversation_into_idx on merged_conversation (into_id);
