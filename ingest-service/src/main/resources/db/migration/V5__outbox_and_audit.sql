-- The outbox carries records for more than one topic: listening query changes (queries) and audit events (audit).
alter table query_outbox rename to outbox;
alter table outbox rename column query_id to record_key;
alter table outbox add column topic text not null default 'queries';
alter table outbox alter column topic drop default;

-- Who started each import.
alter table import_job add column created_by text;
