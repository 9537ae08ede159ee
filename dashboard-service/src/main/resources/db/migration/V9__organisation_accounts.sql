-- The organisation's own accounts, as each listening query names them (topic `queries`): dialogue metrics are
-- computed here, for any window, from the read model.
create table organisation_account (
    query_id   text not null,
    query_name text not null,
    account_id text not null,
    primary key (query_id, account_id)
);

create index organisation_account_account_idx on organisation_account (account_id);

-- Analysis-service no longer publishes dialogue metrics for standard windows.
drop table dialogue_metric;
