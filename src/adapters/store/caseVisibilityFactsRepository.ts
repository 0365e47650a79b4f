import type { CaseVisibilityFacts } from '../../domain/dashboard/caseVisibility.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

export interface StoredCaseVisibilityFacts extends CaseVisibilityFacts {
  readonly id: string;
}

/**
 * What the dashboard's visibility rule asks of each case (or of one), in one query however many cases
 * there are: its type, stage and child's local authority, the agencies sent an information request or
 * owning an action, its notification decisions' outcomes, and whether a learning decision was made.
 * Only those event fields are read; nothing typed about the child leaves the store here.
 */
export async function listCaseVisibilityFacts(db: SqlExecutor, caseId?: string): Promise<StoredCaseVisibilityFacts[]> {
  const { rows } = await db.query<{
    id: string;
    type: string;
    stage: string;
    local_authority: string;
    agencies_asked: string[];
    action_owners: string[];
    decision_outcomes: string[];
    learning_decided: boolean;
  }>(
    `SELECT c.id, c.type, c.stage, c.local_authority,
            COALESCE(array_agg(DISTINCT e.data->>'agency') FILTER (WHERE e.type = 'info_request_sent' AND COALESCE(e.data->>'agency', '') <> ''), '{}') AS agencies_asked,
            COALESCE(array_agg(DISTINCT e.data->>'agency') FILTER (WHERE e.type = 'action_set' AND COALESCE(e.data->>'agency', '') <> ''), '{}') AS action_owners,
            COALESCE(array_agg(e.data->>'outcome' ORDER BY e.at, e.id) FILTER (WHERE e.type = 'notification_decision' AND e.data->>'outcome' IS NOT NULL), '{}') AS decision_outcomes,
            COALESCE(bool_or(e.type = 'learning_decision'), false) AS learning_decided
       FROM cases c
       LEFT JOIN case_events e ON e.case_id = c.id AND e.type IN ('info_request_sent', 'action_set', 'notification_decision', 'learning_decision')
      WHERE ($1::uuid IS NULL OR c.id = $1::uuid)
      GROUP BY c.id`,
    [caseId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    stage: r.stage,
    localAuthority: r.local_authority,
    agenciesAsked: r.agencies_asked,
    actionOwners: r.action_owners,
    decisionOutcomes: r.decision_outcomes,
    learningDecided: r.learning_decided,
  }));
}
