/** Words the planning pages show for the API's codes. */
import type { CollectionStatus } from './types';

/** Collection statuses in the order the select lists them. */
export const collectionStatuses: readonly CollectionStatus[] = [
  'collected',
  'partly',
  'not_collected',
  'not_applicable',
];

export const collectionStatusLabels: Record<CollectionStatus, string> = {
  collected: 'Collected',
  partly: 'Partly collected',
  not_collected: 'Not collected',
  not_applicable: 'Not applicable',
};

/** The label of an MDE without a collection status. */
export const undocumentedLabel = 'Not yet documented';

export function describeCollectionStatus(status: CollectionStatus | null): string {
  return status ? collectionStatusLabels[status] : undocumentedLabel;
}
