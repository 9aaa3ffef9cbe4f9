/**
 * Data quality: the quality score and MDE completeness of completed uploads,
 * and the near matches that data administrators resolved, with their age.
 */
import { aggregateByState, quarterSql } from './sql';
import type { ComputedFigure, GroupContext } from './types';

export function computeDataQuality(context: GroupContext): ComputedFigure[] {
  return [
    // Each completed upload with a score counts once, in the quarter it finished.
    ...aggregateByState(
      context,
      'quality_score',
      {
        byState: `SELECT state, ${quarterSql('finished_at')} AS quarter, quality_score AS value, NULL AS weight
                    FROM record_uploads
                   WHERE status = 'completed' AND quality_score IS NOT NULL
                     AND finished_at >= @start AND finished_at < @end`,
      },
      'mean',
    ),

    // Supplied over applicable, summed over every MDE of every completed upload that finished in the quarter.
    ...aggregateByState(
      context,
      'mde_completeness',
      {
        byState: `SELECT u.state, ${quarterSql('u.finished_at')} AS quarter, c.supplied AS value, c.applicable AS weight
                    FROM record_uploads u JOIN record_upload_completeness c ON c.upload_id = u.id
                   WHERE u.status = 'completed' AND u.finished_at >= @start AND u.finished_at < @end`,
      },
      'ratio',
    ),

    ...aggregateByState(context, 'near_matches_resolved', nearMatchDecisions, 'count'),
    ...aggregateByState(context, 'near_match_age_days', nearMatchDecisions, 'median'),
  ];
}

/**
 * A near match counts as resolved when a data administrator confirmed or
 * rejected it, in the quarter of that decision, even while the merge a
 * confirmation started waits for validation. Pairs closed by a split or by a
 * merge of their records, with no decision of their own, do not count. The
 * value is the days from the pair being found to the decision. Each state of
 * the two students counts it once; the nation counts it once.
 */
const decidedPairs = `
  SELECT d.near_match_id AS id, m.student_a_id, m.student_b_id, ${quarterSql('d.decided_at')} AS quarter,
         julianday(d.decided_at) - julianday(m.created_at) AS value
    FROM near_match_decisions d JOIN record_near_matches m ON m.id = d.near_match_id
   WHERE d.decided_at >= @start AND d.decided_at < @end`;

const nearMatchDecisions = {
  // UNION keeps one row per pair and state, so a pair whose students share a state counts once there.
  byState: `
    SELECT state, quarter, value, NULL AS weight
      FROM (SELECT p.id, s.state, p.quarter, p.value FROM (${decidedPairs}) p JOIN students s ON s.id = p.student_a_id
            UNION
            SELECT p.id, s.state, p.quarter, p.value FROM (${decidedPairs}) p JOIN students s ON s.id = p.student_b_id)`,
  national: `SELECT NULL AS state, quarter, value, NULL AS weight FROM (${decidedPairs})`,
};
