-- Mentions per hour, platform, language and listening query, kept as each mention is stored, changed or deleted
-- (ActivityRollup): volume over time reads a few hundred of these rows instead of every mention of its window.
-- A mention without a language or a query is counted under U+0001, which no stored text can hold (every string is
-- cleaned of control characters before it is stored), so it never meets a real language or query name.
create table activity_hourly (
    hour     timestamp(6) with time zone not null,
    platform text not null,
    lang     text not null,
    query    text not null,
    mentions bigint not null,
    primary key (hour, platform, lang, query)
);

insert into activity_hourly (hour, platform, lang, query, mentions)
select date_trunc('hour', created_at at time zone 'UTC') at time zone 'UTC', platform, coalesce(lang, E'\x01'),
       coalesce(query, E'\x01'), count(*)
from mention
where kind <> 'delete' and not deleted
group by 1, 2, 3, 4;
