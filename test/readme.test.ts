import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { CONFIG_SETTINGS } from '../src/config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('lists every setting the service reads in its configuration table', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    expect(CONFIG_SETTINGS.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });

  it('has a Quick start of the two commands CI and a newcomer run', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toContain('npm ci && npm test');
  });
});
