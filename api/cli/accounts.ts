/**
 * `npm run accounts -- create-admin --email ADDRESS --name "FULL NAME"`
 *
 * Creates an admin account and prints a single-use link, valid 72 hours, that
 * sets its password. This is how the first admin comes to exist: the product
 * ships with no account and no default password.
 */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { people } from '../../db/schema';
import { recordAudit } from '../audit/record';
import { issueAccountToken, tokenValidityMs } from '../auth/account-tokens';
import { ConfigError, loadConfig } from '../config';
import { invitationInput } from '../people/invite';
import { ValidationError, parseInput } from '../shared/validation';

const usage = 'Usage: npm run accounts -- create-admin --email ADDRESS --name "FULL NAME"';

function main(): number {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  if (positionals[0] !== 'create-admin' || positionals.length !== 1) {
    console.error(usage);
    return 2;
  }

  const config = loadConfig();
  const input = parseInput(invitationInput, { email: values.email, displayName: values.name, role: 'admin' });
  const database = openDatabase(config.databasePath);
  try {
    applyMigrations(database.db);
    const existing = database.db
      .select({ status: people.status })
      .from(people)
      .where(eq(people.email, input.email))
      .get();
    if (existing) {
      console.error(`${input.email} already has an account (status: ${existing.status}). Choose another address.`);
      return 1;
    }

    const token = createAdmin(database.db, input.email, input.displayName);
    console.log(`Admin account created for ${input.email}.`);
    console.log(
      `Open this link within ${tokenValidityMs.invitation / 3_600_000} hours to set the password (it works once):`,
    );
    console.log(`\n  ${config.siteUrl}/invitation/#token=${token}\n`);
    return 0;
  } finally {
    database.close();
  }
}

function createAdmin(db: ReturnType<typeof openDatabase>['db'], email: string, displayName: string): string {
  const now = new Date();
  return db.transaction((tx) => {
    const person = tx
      .insert(people)
      .values({
        email,
        displayName,
        role: 'admin',
        state: null,
        recordsAccess: 'none',
        status: 'invited',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      })
      .returning()
      .get();
    recordAudit(tx, {
      actorEmail: 'command line',
      ip: 'local',
      action: 'person.invited',
      objectType: 'person',
      objectId: person.id,
      outcome: 'success',
      detail: 'first admin created with npm run accounts',
      at: now,
    });
    return issueAccountToken(tx, { personId: person.id, purpose: 'invitation', now });
  });
}

try {
  process.exitCode = main();
} catch (error) {
  if (error instanceof ValidationError) {
    console.error(
      `${error.problems.map((problem) => `--${problem.field === 'displayName' ? 'name' : problem.field} ${problem.message}`).join('\n')}\n${usage}`,
    );
    process.exitCode = 2;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
