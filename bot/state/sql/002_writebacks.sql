-- Write-back to the CRM: one record per click it writes, keyed by the click's marker, so
-- a retry (a crash, a lost reply, a restart) finds it and never writes twice.

CREATE TABLE writebacks (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE INDEX writebacks_doc ON writebacks USING gin (doc jsonb_path_ops);
