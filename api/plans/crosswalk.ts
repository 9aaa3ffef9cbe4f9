/**
 * A state's MDE data-source crosswalk: for each MDE of the upload layout,
 * the state system it comes from, the office that owns it, whether the state
 * collects it, and notes. The MDE list is the crosswalk template that the
 * portal offers as a TA tool, so the tool and this page never disagree.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../db/client';
import {
  collectionStatuses,
  crosswalkEntries,
  programStates,
  recordUploads,
  type CollectionStatus,
} from '../../db/schema';
import { recordAudit } from '../audit/record';
import type { Actor } from '../auth/actor';
import type { ActionContext } from '../shared/action-context';
import { parseCsvRecords, renderCsv } from '../shared/csv';
import { parseInput, ValidationError, type FieldProblem } from '../shared/validation';
import { canEditState, requireStateAccess } from './access';

export const crosswalkTemplatePath = fileURLToPath(
  new URL('../../site/public/downloads/mde-crosswalk-template.csv', import.meta.url),
);

/** The template's header. The export uses it too, so a state can fill in the export and keep working from it. */
export const crosswalkCsvHeader = [
  'file',
  'column',
  'mde_description',
  'required',
  'source_system',
  'owning_office',
  'collection_status',
  'notes',
] as const;

export const completenessRule =
  'Documented: the MDEs that have a collection status, out of all MDEs. Collected: each collected MDE counts 1 and each partly collected MDE counts 0.5, out of all MDEs except those marked not applicable; MDEs without a status count 0. Both percentages are rounded to whole numbers.';

export const dataQualityPlaceholder = {
  available: false,
  message: 'Data-quality results appear here once the state has uploaded records.',
  link: null,
} as const;

export interface DataQualitySummary {
  available: boolean;
  message: string;
  /** The state's data-quality page, when the state has a completed upload. */
  link: string | null;
}

/** Summarizes the state's latest completed records upload: its date and data-quality score, with a link to the reports. */
function summarizeDataQuality(db: Pick<AppDatabase, 'select'>, state: string): DataQualitySummary {
  const latest = db
    .select({ finishedAt: recordUploads.finishedAt, score: recordUploads.qualityScore })
    .from(recordUploads)
    .where(and(eq(recordUploads.state, state), eq(recordUploads.status, 'completed')))
    .orderBy(desc(recordUploads.finishedAt))
    .limit(1)
    .get();
  if (!latest?.finishedAt) return dataQualityPlaceholder;

  const day = latest.finishedAt.slice(0, 10);
  const score =
    latest.score === null ? 'no score yet' : `a data-quality score of ${Math.round(latest.score)} out of 100`;
  return {
    available: true,
    message: `The latest records upload, on ${day}, has ${score}.`,
    link: `/records/quality/?state=${state}`,
  };
}

export interface MdeRow {
  file: string;
  column: string;
  description: string;
  /** The template's "required" cell as written, Yes or No. */
  required: string;
}

let cachedMdeList: { path: string; rows: MdeRow[] } | undefined;

/** Reads the MDE list from the crosswalk template, once per process and path. */
export function readMdeList(file = crosswalkTemplatePath): MdeRow[] {
  if (cachedMdeList?.path === file) return cachedMdeList.rows;
  const rows = parseCsvRecords(readFileSync(file, 'utf8'))
    .map((record) => ({
      file: record.file?.trim() ?? '',
      column: record.column?.trim() ?? '',
      description: record.mde_description?.trim() ?? '',
      required: record.required?.trim() ?? '',
    }))
    .filter((row) => row.file !== '' && row.column !== '');
  cachedMdeList = { path: file, rows };
  return rows;
}

const entryInput = z.object({
  file: z.string().trim().min(1, 'is required, such as students.csv'),
  column: z.string().trim().min(1, 'is required, such as birth_date'),
  sourceSystem: z.string().trim().max(200, 'must have at most 200 characters').optional(),
  owningOffice: z.string().trim().max(200, 'must have at most 200 characters').optional(),
  collectionStatus: z.enum(collectionStatuses).nullable().optional(),
  notes: z.string().trim().max(2000, 'must have at most 2000 characters').optional(),
});

const saveInput = z.object({
  entries: z
    .array(entryInput)
    .min(1, 'must list at least 1 entry')
    .max(500, 'must list at most 500 entries; the crosswalk has one entry per MDE'),
});

export interface CompletenessCounts {
  total: number;
  documented: number;
  undocumented: number;
  collected: number;
  partly: number;
  notCollected: number;
  notApplicable: number;
  percentDocumented: number;
  /** Null when every MDE is marked not applicable, so nothing is left to collect. */
  percentCollected: number | null;
}

/** Counts statuses and computes the percentages that `completenessRule` describes. */
export function computeCompleteness(statuses: readonly (CollectionStatus | null)[]): CompletenessCounts {
  const countOf = (status: CollectionStatus) => statuses.filter((value) => value === status).length;
  const total = statuses.length;
  const collected = countOf('collected');
  const partly = countOf('partly');
  const notCollected = countOf('not_collected');
  const notApplicable = countOf('not_applicable');
  const documented = collected + partly + notCollected + notApplicable;
  const applicable = total - notApplicable;

  return {
    total,
    documented,
    undocumented: total - documented,
    collected,
    partly,
    notCollected,
    notApplicable,
    percentDocumented: total === 0 ? 0 : Math.round((documented / total) * 100),
    percentCollected: applicable === 0 ? null : Math.round(((collected + 0.5 * partly) / applicable) * 100),
  };
}

/** Reads every MDE merged with the state's saved entry, the completeness figures, and the data-quality placeholder. */
export function readCrosswalk(db: AppDatabase, actor: Actor, state: string) {
  requireStateAccess(db, actor, state, 'read');
  return buildCrosswalkView(db, actor, state);
}

/**
 * Inserts or updates the given entries. Fields left out keep their saved
 * value, and an entry saved for the first time starts empty. Returns the whole
 * crosswalk and how many entries changed.
 */
export function saveCrosswalk(
  db: AppDatabase,
  actor: Actor,
  state: string,
  input: unknown,
  context: Omit<ActionContext, 'mail'>,
) {
  const data = parseInput(saveInput, input);
  requireStateAccess(db, actor, state, 'edit');
  checkEntriesAgainstTemplate(data.entries);
  const now = context.now.toISOString();

  const changed = db.transaction(
    (tx) => {
      const saved = savedEntriesByKey(tx, state);
      let changedCount = 0;
      for (const entry of data.entries) {
        const before = saved.get(entryKey(entry.file, entry.column));
        const after = {
          sourceSystem: entry.sourceSystem ?? before?.sourceSystem ?? '',
          owningOffice: entry.owningOffice ?? before?.owningOffice ?? '',
          collectionStatus:
            entry.collectionStatus === undefined ? (before?.collectionStatus ?? null) : entry.collectionStatus,
          notes: entry.notes ?? before?.notes ?? '',
        };
        const unchanged =
          after.sourceSystem === (before?.sourceSystem ?? '') &&
          after.owningOffice === (before?.owningOffice ?? '') &&
          after.collectionStatus === (before?.collectionStatus ?? null) &&
          after.notes === (before?.notes ?? '');
        if (unchanged) continue;

        changedCount += 1;
        tx.insert(crosswalkEntries)
          .values({
            state,
            mdeFile: entry.file,
            mdeColumn: entry.column,
            ...after,
            updatedBy: actor.id,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: [crosswalkEntries.state, crosswalkEntries.mdeFile, crosswalkEntries.mdeColumn],
            set: { ...after, updatedBy: actor.id, updatedAt: now },
          })
          .run();
      }

      recordAudit(tx, {
        actor,
        ip: context.ip,
        action: 'crosswalk.updated',
        objectType: 'crosswalk',
        objectId: state,
        outcome: 'success',
        detail: `${changedCount} of ${data.entries.length} entries changed`,
        requestId: context.requestId,
        at: context.now,
      });
      return changedCount;
    },
    { behavior: 'immediate' },
  );

  return { changed, ...buildCrosswalkView(db, actor, state) };
}

/** Renders the crosswalk as CSV in the template's layout, with the state's entries filled in. */
export function renderCrosswalkCsv(db: AppDatabase, actor: Actor, state: string): string {
  const view = readCrosswalk(db, actor, state);
  return renderCsv(
    crosswalkCsvHeader,
    view.entries.map((entry) => [
      entry.file,
      entry.column,
      entry.description,
      entry.required,
      entry.sourceSystem,
      entry.owningOffice,
      entry.collectionStatus ?? '',
      entry.notes,
    ]),
  );
}

/** Rejects file and column pairs that are not in the template, and MDEs given twice, naming each. */
function checkEntriesAgainstTemplate(entries: readonly { file: string; column: string }[]): void {
  const known = new Set(readMdeList().map((row) => entryKey(row.file, row.column)));
  const knownFiles = new Set(readMdeList().map((row) => row.file));
  const firstIndex = new Map<string, number>();
  const problems: FieldProblem[] = [];

  entries.forEach((entry, index) => {
    const key = entryKey(entry.file, entry.column);
    if (!knownFiles.has(entry.file)) {
      problems.push({
        field: `entries.${index}.file`,
        message: `${entry.file} is not an MDE file; use one of ${[...knownFiles].join(', ')}.`,
      });
    } else if (!known.has(key)) {
      problems.push({
        field: `entries.${index}.column`,
        message: `${entry.file} has no MDE column ${entry.column}; use a column listed in the crosswalk template.`,
      });
    } else if (firstIndex.has(key)) {
      problems.push({
        field: `entries.${index}`,
        message: `repeats ${entry.file} ${entry.column} from entries.${firstIndex.get(key)}; give each MDE once.`,
      });
    } else {
      firstIndex.set(key, index);
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);
}

function buildCrosswalkView(db: AppDatabase, actor: Actor, state: string) {
  const stateRow = db
    .select({ name: programStates.name })
    .from(programStates)
    .where(eq(programStates.code, state))
    .get();
  const saved = savedEntriesByKey(db, state);
  // NOTE: saved entries for an MDE that the template no longer lists stay in the database but are not shown or counted.
  const entries = readMdeList().map((mde) => {
    const entry = saved.get(entryKey(mde.file, mde.column));
    return {
      file: mde.file,
      column: mde.column,
      description: mde.description,
      required: mde.required,
      sourceSystem: entry?.sourceSystem ?? '',
      owningOffice: entry?.owningOffice ?? '',
      collectionStatus: entry?.collectionStatus ?? null,
      notes: entry?.notes ?? '',
      updatedAt: entry?.updatedAt ?? null,
    };
  });

  return {
    state,
    stateName: stateRow?.name ?? state,
    canEdit: canEditState(actor, state),
    entries,
    completeness: computeCompleteness(entries.map((entry) => entry.collectionStatus)),
    completenessRule,
    dataQuality: summarizeDataQuality(db, state),
  };
}

function savedEntriesByKey(db: Pick<AppDatabase, 'select'>, state: string) {
  const rows = db.select().from(crosswalkEntries).where(eq(crosswalkEntries.state, state)).all();
  return new Map(rows.map((row) => [entryKey(row.mdeFile, row.mdeColumn), row]));
}

function entryKey(file: string, column: string): string {
  return `${file}\u0000${column}`;
}
