import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger, withCorrelation } from '../../src/adapters/log/logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('logs', () => {
  it("carry the turn's correlation id on every line written while it is handled", async () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    await withCorrelation('activity-123', async () => {
      logger.info('first');
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.warn('second, after an await');
    });
    logger.info('outside any turn');
    expect(lines.map((l) => [l.msg, l.correlationId])).toEqual([
      ['first', 'activity-123'],
      ['second, after an await', 'activity-123'],
      ['outside any turn', undefined],
    ]);
  });

  it('redact child details even when a caller logs them by mistake', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).info({ case: { reference: 'HSSCP-2026-0001', child: { name: 'Alexandra Testcase' } } }, 'oops');
    expect(JSON.stringify(lines)).not.toContain('Alexandra');
    expect(JSON.stringify(lines)).toContain('HSSCP-2026-0001');
  });
});
