// drizzle-kit generates migrations from db/schema.ts; no database is needed to generate.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
