import type { DspDeputy } from '../../domain/people/dspDeputy.ts';
import type { SqlExecutor } from './sqlExecutor.ts';

interface DeputyRow {
  readonly agency: string;
  readonly user_id: string;
  readonly display_name: string | null;
  readonly acts_from: string;
  readonly acts_until: string;
}

// Dates as text, so the engine's date type never meets a JavaScript Date (and a time zone).
const COLUMNS = `d.agency, d.user_id, coalesce((SELECT p.display_name FROM people p WHERE p.aad_object_id = d.user_id), d.display_name) AS display_name,
  to_char(d.acts_from, 'YYYY-MM-DD') AS acts_from, to_char(d.acts_until, 'YYYY-MM-DD') AS acts_until`;

const deputyOfRow = (r: DeputyRow): DspDeputy => ({
  agency: r.agency,
  userId: r.user_id,
  displayName: r.display_name,
  actsFrom: r.acts_from,
  actsUntil: r.acts_until,
});

/** The deputy DSPs (of one agency, or all), each with the name the bot last knew them by. */
export async function listDeputies(db: SqlExecutor, agency?: string): Promise<DspDeputy[]> {
  const { rows } = await db.query<DeputyRow>(
    `SELECT ${COLUMNS} FROM dsp_deputies d ${agency === undefined ? '' : 'WHERE d.agency = $1'} ORDER BY d.agency, d.acts_from, d.user_id`,
    agency === undefined ? [] : [agency],
  );
  return rows.map(deputyOfRow);
}

/** Replaces every deputy (of every agency) with `deputies`, in the caller's transaction. */
export async function replaceDeputies(tx: SqlExecutor, deputies: readonly DspDeputy[]): Promise<void> {
  await tx.query('DELETE FROM dsp_deputies');
  for (const d of deputies) {
    await tx.query(
      'INSERT INTO dsp_deputies (agency, user_id, display_name, acts_from, acts_until) VALUES ($1, $2, $3, $4::date, $5::date)',
      [d.agency, d.userId, d.displayName ?? null, d.actsFrom, d.actsUntil],
    );
  }
}
