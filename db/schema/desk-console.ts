// Tables owned by this part of the product; keep db/migrations in step (see the owner's migration file).
export {};
