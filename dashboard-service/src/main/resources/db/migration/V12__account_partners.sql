-- Each account's partners with the weight of all their relationships, both ways and of every type, kept as the
-- relationships change (GraphReadModel): an ego network reads an account's heaviest partners from the index below
-- instead of summing every relationship of every account it reaches.
create table account_partner (
    account_id text not null,
    partner_id text not null,
    weight     bigint not null,
    primary key (account_id, partner_id)
);

insert into account_partner (account_id, partner_id, weight)
select a, p, sum(w)
from (select source_id as a, target_id as p, weight as w from relationship where weight > 0 and source_id <> target_id
      union all
      select target_id, source_id, weight from relationship where weight > 0 and source_id <> target_id) r
group by a, p;

create index account_partner_heaviest on account_partner (account_id, weight desc, partner_id);
