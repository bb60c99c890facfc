-- dealnudge state, version 1 of the PostgreSQL schema.
-- One table per kind of record; each record is a JSONB document (the same documents the
-- tinydb backend keeps), with `key` where a table holds one record per key: the send keys
-- of nudges and digests are unique, so a send is claimed exactly once (INSERT ... ON CONFLICT).

CREATE TABLE meta            (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE TABLE people          (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE TABLE nudges          (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE TABLE digests         (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE TABLE questions_shown (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE TABLE rooms           (id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, doc jsonb NOT NULL);
CREATE TABLE snoozes         (id bigserial PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE feedback        (id bigserial PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE adjustments     (id bigserial PRIMARY KEY, doc jsonb NOT NULL);

-- Lookups by field (a rep's nudges, a deal's snoozes, feedback of a kind) use containment.
CREATE INDEX people_doc      ON people      USING gin (doc jsonb_path_ops);
CREATE INDEX nudges_doc      ON nudges      USING gin (doc jsonb_path_ops);
CREATE INDEX digests_doc     ON digests     USING gin (doc jsonb_path_ops);
CREATE INDEX rooms_doc       ON rooms       USING gin (doc jsonb_path_ops);
CREATE INDEX snoozes_doc     ON snoozes     USING gin (doc jsonb_path_ops);
CREATE INDEX feedback_doc    ON feedback    USING gin (doc jsonb_path_ops);
CREATE INDEX adjustments_doc ON adjustments USING gin (doc jsonb_path_ops);

-- The export history: per source, one line per recorded export, in order.
CREATE TABLE export_log (
    source     text        NOT NULL,
    pos        integer     NOT NULL,
    line       jsonb       NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, pos)
);
