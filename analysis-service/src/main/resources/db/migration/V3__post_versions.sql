-- Which version of each post its stored content is (the newest by the platform's time wins, whatever the arrival
-- order), and a counter of the row's changes that consumers of threaded-mentions use to keep the latest state.
alter table mention add column version_at timestamp(6) with time zone;
update mention set version_at = created_at;
alter table mention alter column version_at set not null;
alter table mention add column version bigint not null default 1;
