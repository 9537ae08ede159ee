-- Communities in two levels (Leiden): `community` is the level over the whole graph, `sub_community` the division of
-- that community where its own structure splits it (numbered across the graph; a community that does not split is
-- one sub-community). Existing rows get theirs at the next graph run.
alter table account_metric add column sub_community integer not null default 0;
alter table account_metric alter column sub_community drop default;
