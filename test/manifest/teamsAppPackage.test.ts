import { readFileSync } from 'node:fs';

import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';

import { fillManifest, validateManifest, zipPackage } from '../../manifest/teamsAppPackage.ts';

const values = {
  teamsAppId: '11111111-2222-4333-8444-555555555555',
  botAppId: '00000000-0000-4000-8000-0000000b0701',
  host: 'safeguarding-reviews.azurewebsites.net',
  ssoClientId: '00000000-0000-4000-8000-0000000b0702',
};
const pngSize = (buf: Buffer) => [buf.readUInt32BE(16), buf.readUInt32BE(20)];

describe('the Teams app package', () => {
  const manifest = fillManifest(values);

  it('validates against the bundled schema of its manifest version (1.22), offline', async () => {
    expect(manifest.manifestVersion).toBe('1.22');
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('has a validation that does reject a broken manifest', async () => {
    const broken = { ...manifest, accentColor: 'teal', bots: [{ botId: values.botAppId }] };
    expect((await validateManifest(broken)).length).toBeGreaterThan(0);
  });

  it('declares the bot in team, personal and group chat, the dashboard tabs, SSO and the host', () => {
    expect(manifest.bots).toEqual([expect.objectContaining({ botId: values.botAppId, scopes: ['team', 'personal', 'groupChat'] })]);
    expect(manifest.staticTabs).toEqual([expect.objectContaining({ contentUrl: `https://${values.host}/tab`, scopes: ['personal'] })]);
    expect(manifest.configurableTabs).toEqual([
      expect.objectContaining({ configurationUrl: `https://${values.host}/tab/configure`, scopes: ['team'] }),
    ]);
    expect(manifest.webApplicationInfo).toEqual({ id: values.ssoClientId, resource: `api://${values.host}/${values.ssoClientId}` });
    expect(manifest.validDomains).toEqual([values.host]);
    // The code uses no resource-specific consent (it reads channel messages only when @mentioned).
    expect(manifest).not.toHaveProperty('authorization');
  });

  it('ships a 32 px outline icon and a 192 px colour icon', () => {
    expect(pngSize(readFileSync(new URL('../../manifest/outline.png', import.meta.url)))).toEqual([32, 32]);
    expect(pngSize(readFileSync(new URL('../../manifest/color.png', import.meta.url)))).toEqual([192, 192]);
  });

  it('zips the manifest and both icons', () => {
    const zip = new AdmZip(zipPackage(manifest));
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(zip.readAsText('manifest.json')).id).toBe(values.teamsAppId);
  });

  it.each([
    [{ ...values, teamsAppId: 'my-app' }, 'teamsAppId must be a GUID'],
    [{ ...values, host: 'https://example.org/path' }, 'host must be a host name'],
  ])('refuses values that would make a broken package (%#)', (bad, message) => {
    expect(() => fillManifest(bad)).toThrow(message);
  });
});
