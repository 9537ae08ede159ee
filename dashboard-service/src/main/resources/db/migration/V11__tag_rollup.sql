-- Mentions per hashtag and per link, by hour and by day, platform, language and listening query, kept as each
-- mention is stored, changed or deleted (TagRollup): the top hashtags and links of a window read the whole days from
-- tag_daily, the whole hours around them from tag_hourly, and only the cut hours at its ends from the mentions.
-- U+0001 stands for "no language" and "no query", as in activity_hourly. A value is found by its md5 in the unique
-- index, so that a long link never exceeds what a B-tree entry can hold.
create table tag_hourly (
    kind     text not null,
    hour     timestamp(6) with time zone not null,
    platform text not null,
    lang     text not null,
    query    text not null,
    value    text not null,
    mentions bigint not null
);
create unique index tag_hourly_cell on tag_hourly (kind, hour, platform, lang, query, md5(value));

create table tag_daily (
    kind     text not null,
    day      timestamp(6) with time zone not null,
    platform text not null,
    lang     text not null,
    query    text not null,
    value    text not null,
    mentions bigint not null
);
create unique index tag_daily_cell on tag_daily (kind, day, platform, lang, query, md5(value));

insert into tag_hourly (kind, hour, platform, lang, query, value, mentions)
select t.kind, date_trunc('hour', m.created_at at time zone 'UTC') at time zone 'UTC', m.platform,
       coalesce(m.lang, E'\x01'), coalesce(m.query, E'\x01'), t.value, count(*)
from mention m
cross join lateral (select 'hashtags' as kind, h as value from unnest(m.hashtags) h
                    union all select 'links', l from unnest(m.links) l) t
where m.kind <> 'delete' and not m.deleted
group by 1, 2, 3, 4, 5, 6;

insert into tag_daily (kind, day, platform, lang, query, value, mentions)
select kind, date_trunc('day', hour at time zone 'UTC') at time zone 'UTC', platform, lang, query, value, sum(mentions)
from tag_hourly
group by 1, 2, 3, 4, 5, 6;
