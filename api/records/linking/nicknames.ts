/**
 * The nickname table that linking uses to match first names such as Lupe
 * and Guadalupe. The product seeds common English and Spanish nicknames;
 * admins add and delete pairs.
 */
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { recordNicknames } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import type { ActionContext } from '../../shared/action-context';
import { parseInput } from '../../shared/validation';
import { foldText } from './names';
import { NicknameIndex } from './nickname-index';

export interface NicknameView {
  id: number;
  fullName: string;
  nickname: string;
  /** Whether an admin added the pair (true) or it came with the product (false). */
  addedByAdmin: boolean;
  createdAt: string;
}

/** Loads the whole nickname table into an index for comparisons. */
export function loadNicknameIndex(db: AppDatabase): NicknameIndex {
  const rows = db
    .select({ fullName: recordNicknames.fullName, nickname: recordNicknames.nickname })
    .from(recordNicknames)
    .all();
  return new NicknameIndex(rows);
}

/** Lists every nickname pair, by full name and then nickname. */
export function listNicknames(db: AppDatabase): NicknameView[] {
  return db
    .select()
    .from(recordNicknames)
    .orderBy(asc(recordNicknames.fullName), asc(recordNicknames.nickname))
    .all()
    .map((row) => ({
      id: row.id,
      fullName: row.fullName,
      nickname: row.nickname,
      addedByAdmin: row.addedBy !== null,
      createdAt: row.createdAt,
    }));
}

const nameSchema = z
  .string({ invalid_type_error: 'must be text.' })
  .trim()
  .min(1, 'is required.')
  .max(50, 'must be at most 50 characters.')
  .refine((value) => /^[\p{L}][\p{L}' -]*$/u.test(value), 'must be one name: letters, spaces, hyphens or apostrophes.');

const nicknameInput = z.object({ fullName: nameSchema, nickname: nameSchema }).strict();

/**
 * Adds a nickname pair after folding both names (lower case, no accents).
 * Linking uses it for the students it links from then on; students already
 * linked keep their consolidated records.
 */
export function addNickname(db: AppDatabase, actor: Actor, input: unknown, context: ActionContext): NicknameView {
  const parsed = parseInput(nicknameInput, input);
  const fullName = foldText(parsed.fullName);
  const nickname = foldText(parsed.nickname);
  if (fullName === nickname) {
    throw new AppError(
      400,
      'invalid_input',
      'nickname: must differ from the full name once accents and case are ignored.',
    );
  }
  return db.transaction((tx) => {
    const existing = tx
      .select({ id: recordNicknames.id })
      .from(recordNicknames)
      .where(and(eq(recordNicknames.fullName, fullName), eq(recordNicknames.nickname, nickname)))
      .get();
    if (existing) {
      throw new AppError(409, 'nickname_exists', `The table already has ${nickname} as a nickname of ${fullName}.`);
    }
    const row = tx
      .insert(recordNicknames)
      .values({ fullName, nickname, addedBy: actor.id, createdAt: context.now.toISOString() })
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      requestId: context.requestId,
      action: 'records.nickname_added',
      objectType: 'record_nickname',
      objectId: row.id,
      outcome: 'success',
      at: context.now,
    });
    return { id: row.id, fullName, nickname, addedByAdmin: true, createdAt: row.createdAt };
  });
}

/** Deletes a nickname pair, whether it came with the product or an admin added it. */
export function deleteNickname(db: AppDatabase, actor: Actor, id: number, context: ActionContext): void {
  db.transaction((tx) => {
    const deleted = tx
      .delete(recordNicknames)
      .where(eq(recordNicknames.id, id))
      .returning({ id: recordNicknames.id })
      .get();
    if (!deleted) throw new AppError(404, 'not_found', `No nickname pair with id ${id} was found.`);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      requestId: context.requestId,
      action: 'records.nickname_deleted',
      objectType: 'record_nickname',
      objectId: id,
      outcome: 'success',
      at: context.now,
    });
  });
}
