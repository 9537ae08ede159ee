-- Each state of a conversation row gets a number never used before (a sequence, not a counter: a rolled-back state
-- or a conversation merged away and started again never repeats one). analysis-service keeps recent conversation
-- shapes in memory and uses one only while the row still carries the revision it was computed for; any other writer,
-- in this process or another replica, changes the revision and so invalidates it.
create sequence conversation_revision;
alter table conversation add column revision bigint not null default 0;
