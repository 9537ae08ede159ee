-- Authors whose posts a stream published: their deletes are forwarded, whenever they come (a Jetstream delete names
-- only the author and the record), so that a post deleted on its platform disappears from Palabre, also after a
-- restart.
create table captured_author (
    author_id         text primary key,
    first_captured_at timestamp(6) with time zone not null
);

-- Statuses a Mastodon stream delivered, by their instance-local id: a streaming delete carries only that id.
-- Kept for palabre.connectors.limits.stream-ids-retention.
create table stream_status (
    instance  text not null,
    local_id  text not null,
    global_id text not null,
    author_id text not null,
    seen_at   timestamp(6) with time zone not null,
    primary key (instance, local_id)
);

create index stream_status_seen_idx on stream_status (seen_at);
