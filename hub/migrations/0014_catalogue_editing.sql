-- The catalogue edited in the console: who published each version (NULL: the command line or the seed).
ALTER TABLE catalogues ADD COLUMN operator TEXT;
