-- Changes of listening queries waiting to be published on topic `queries`, written in the same transaction as the
-- change itself and removed once the broker has them (a transactional outbox): a change is never lost and never
-- published unsaved. A null payload is a deletion (a tombstone on the compacted topic).
create table query_outbox (
    seq        bigserial primary key,
    query_id   text not null,
    payload    text,
    created_at timestamp(6) with time zone not null default now()
);
