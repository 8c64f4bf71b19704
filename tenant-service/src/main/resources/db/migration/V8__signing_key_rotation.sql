-- The token-signing key rotates: the newest key signs; a replaced key stays published in the JWKS until every token
-- it signed has expired (labops.tenant.auth.signing-key-overlap), so no service refuses a token mid-rotation.
alter table token_signing_key add column retired_at timestamptz;
