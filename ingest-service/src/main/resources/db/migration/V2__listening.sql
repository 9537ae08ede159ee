-- Listening queries: what to collect, where, and which accounts are the organisation's own.
create table listening_query (
    id                    varchar(64) primary key,
    name                  varchar(200) not null unique,
    terms                 text not null,
    hashtags              text[] not null,
    accounts              text[] not null,
    platforms             text[] not null,
    organisation_accounts text[] not null,
    enabled               boolean not null,
    created_at            timestamp(6) with time zone not null,
    updated_at            timestamp(6) with time zone not null,
    version               integer not null
);

-- Where each connector stopped, per listening query (or per stream): survives restarts.
create table connector_cursor (
    connector  varchar(64) not null,
    scope      varchar(200) not null,
    cursor     text not null,
    updated_at timestamp(6) with time zone not null,
    primary key (connector, scope)
);

-- What a connector knows it could not collect: time ranges and parents.
create table collection_gap (
    id          bigserial primary key,
    connector   varchar(64) not null,
    scope       varchar(200) not null,
    kind        varchar(32) not null,
    from_at     timestamp(6) with time zone,
    to_at       timestamp(6) with time zone,
    item        text,
    reason      text not null,
    recorded_at timestamp(6) with time zone not null
);

create index collection_gap_connector_idx on collection_gap (connector, recorded_at desc);
