-- The role the engine serves as (docker-compose.yml `api`): a login that owns nothing. `u4ssc schema --grant u4ssc_app`,
-- run as the owner, gives it what serving needs. Change the password (and the one in docker-compose.yml).
CREATE ROLE u4ssc_app LOGIN PASSWORD 'u4ssc_app';
-- The engine's schema belongs to the owner; the serving role gets USAGE on it from `u4ssc schema --grant`.
CREATE SCHEMA u4ssc AUTHORIZATION u4ssc_owner;
