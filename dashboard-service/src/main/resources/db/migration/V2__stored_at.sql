-- When the read model first stored each mention: shows how fresh the read model is (and measures latency).
alter table mention add column stored_at timestamp(6) with time zone not null default clock_timestamp();
