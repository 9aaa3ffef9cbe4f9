/**
 * Deactivated demo accounts that the demo rows name as their actors (who
 * sent or acknowledged a move notice, decided a near match, replied to a
 * ticket). They have no password and the status "deactivated", so no one
 * can sign in with them. No job mails them either, because every mailing
 * selects active people only.
 */
import { eq } from 'drizzle-orm';
import { people, programStates } from '../../../db/schema';
import type { DemoTransaction } from './context';

/** Domain of every demo address; example.org is reserved for examples (RFC 2606) and receives no mail. */
export const demoMailDomain = 'example.org';

export class DemoAccounts {
  private readonly coordinators = new Map<string, number>();
  private agentId: number | undefined;
  private stateNames: Map<string, string> | undefined;

  constructor(
    private readonly tx: DemoTransaction,
    /** Creation time stored on the accounts: the start of the demo activity. */
    private readonly createdAt: string,
  ) {}

  /** Returns the id of the state's demo coordinator with data-administrator records access, creating it once. */
  coordinator(state: string): number {
    const known = this.coordinators.get(state);
    if (known !== undefined) return known;
    const id = this.create({
      email: `demo-coordinator-${state.toLowerCase()}@${demoMailDomain}`,
      displayName: `Demo state coordinator (${this.stateName(state)})`,
      role: 'state_coordinator',
      state,
    });
    this.coordinators.set(state, id);
    return id;
  }

  /** Returns the id of the national demo support agent, creating it once. */
  agent(): number {
    this.agentId ??= this.create({
      email: `demo-support-agent@${demoMailDomain}`,
      displayName: 'Demo support agent',
      role: 'agent',
      state: null,
    });
    return this.agentId;
  }

  /** Returns how many demo accounts exist so far. */
  count(): number {
    return this.coordinators.size + (this.agentId === undefined ? 0 : 1);
  }

  private create(account: {
    email: string;
    displayName: string;
    role: 'state_coordinator' | 'agent';
    state: string | null;
  }): number {
    const existing = this.tx.select({ id: people.id }).from(people).where(eq(people.email, account.email)).get();
    if (existing) return existing.id;
    return this.tx
      .insert(people)
      .values({
        ...account,
        recordsAccess: 'data_administrator',
        status: 'deactivated',
        passwordHash: null,
        createdAt: this.createdAt,
        updatedAt: this.createdAt,
      })
      .returning({ id: people.id })
      .get().id;
  }

  private stateName(code: string): string {
    this.stateNames ??= new Map(
      this.tx
        .select({ code: programStates.code, name: programStates.name })
        .from(programStates)
        .all()
        .map((row) => [row.code, row.name]),
    );
    return this.stateNames.get(code) ?? code;
  }
}
