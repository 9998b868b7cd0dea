-- The host application's own migration, to prove that governance leaves the host's Flyway alone.
create table host_orders (id bigint primary key);
