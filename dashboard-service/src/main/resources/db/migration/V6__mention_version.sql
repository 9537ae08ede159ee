-- The version of each mention's state as analysis-service last published it: an older state arriving later (from
-- another partition, after a merge moved the mention) is ignored.
alter table mention add column version bigint not null default 0;
