-- Volume over time and top hashtags read many mentions of a window: this index holds every column they need, so
-- they scan it alone (an index-only scan) instead of visiting the table's pages one by one or reading all of it.
create index mention_activity_idx on mention (created_at)
    include (platform, lang, query, kind, deleted, author_id, hashtags);
