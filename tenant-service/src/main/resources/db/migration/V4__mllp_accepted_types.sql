-- A tenant may narrow an MLLP endpoint to some of its purpose's message types (e.g. an orders endpoint that takes
-- ORM^O01 only, because patient updates come through another interface). Empty: every type of the purpose.
alter table mllp_endpoint add column accepted_types text[] not null default '{}';
