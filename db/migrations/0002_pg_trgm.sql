-- Trigram matching for the typeahead's free-text search (words anywhere in a license's description).
-- pg_trgm is a trusted extension: the owner of the database may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
