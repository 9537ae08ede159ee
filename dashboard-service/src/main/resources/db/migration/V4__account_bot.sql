-- Whether the platform flags the account as automated (author.bot): bots are not "people" in dialogue metrics.
alter table account add column bot boolean not null default false;
