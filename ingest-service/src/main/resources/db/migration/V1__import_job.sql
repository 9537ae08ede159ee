create table import_job (
    id          varchar(64) primary key,
    format      varchar(64) not null,
    started_at  timestamp(6) with time zone not null,
    finished_at timestamp(6) with time zone,
    lines       bigint not null,
    accepted    bigint not null,
    rejected    bigint not null,
    failed      bigint not null,
    bytes_read  bigint not null
);

create index import_job_started_at_idx on import_job (started_at desc);
