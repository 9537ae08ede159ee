-- Which stored post learnt whom it quotes, reposts or answers when which post arrived. A batch replayed after a crash
-- finds those posts no longer waiting; it reads them here to publish again what its first attempt may have lost.
create table author_resolution (
    target_id text not null,
    mention_id text not null,
    primary key (target_id, mention_id)
);
