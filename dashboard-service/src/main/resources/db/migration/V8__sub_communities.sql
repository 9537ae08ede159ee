-- Communities in two levels (analysis-service's Leiden): the division of an account's community where its own
-- structure splits it. Null until the account's metrics of a run that computed it arrive.
alter table account add column sub_community integer;
create index account_sub_community_idx on account (sub_community, pagerank desc nulls last);
