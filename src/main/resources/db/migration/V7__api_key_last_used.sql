-- When each key was last used (to within the lookup cache, 30 s): which keys can be revoked safely.
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
