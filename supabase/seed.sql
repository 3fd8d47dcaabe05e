-- Seed data for a local Supabase stack (`supabase db reset`, `supabase db push --include-seed`).
-- Intentionally empty of user data: every row belongs to an auth user, and users are created by GoTrue.
-- pgTAP tests create their own users through tests.create_supabase_user() and roll back.
select 1;
