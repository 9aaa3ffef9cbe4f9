-- Placeholder so the migration has a statement; the owner replaces it with real SQL.
SELECT 1;
