import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { CONFIG_SETTINGS, readConfig } from '../../src/config.ts';

// No Bicep compiler runs offline here, so the template is read as text: the settings it gives the
// app, its parameters, and the conventions the deployment relies on.
const bicep = readFileSync(new URL('../../infra/main.bicep', import.meta.url), 'utf8');
const parameters = JSON.parse(readFileSync(new URL('../../infra/main.parameters.json', import.meta.url), 'utf8')) as {
  parameters: Record<string, { value: unknown }>;
};

function appSettings(): Map<string, string> {
  const block = /appSettings: \[([\s\S]*?)\n {6}\]/.exec(bicep)?.[1] ?? '';
  return new Map([...block.matchAll(/^\s*\{ name: '([^']+)', value: (.*) \}$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

describe('the Azure template (infra/main.bicep)', () => {
  const settings = appSettings();

  it('sets every setting the service reads', () => {
    expect(CONFIG_SETTINGS.filter((name) => !settings.has(name))).toEqual([]);
  });

  it('sets no setting the service does not read', () => {
    expect([...settings.keys()].filter((name) => !(CONFIG_SETTINGS as string[]).includes(name))).toEqual([]);
  });

  it('gives values the service accepts (expressions stood in for by what Azure fills in)', () => {
    const stand: Record<string, string> = {
      DATABASE_URL: 'postgres://hsscp-reviews-identity@hsscp-reviews-pg.postgres.database.azure.com:5432/reviews?sslmode=require',
      MANAGED_IDENTITY_CLIENT_ID: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppTenantId: '00000000-0000-4000-8000-000000000002',
      GRAPH_TENANT_ID: '00000000-0000-4000-8000-000000000002',
      GRAPH_CLIENT_ID: '00000000-0000-4000-8000-000000000001',
      PUBLIC_URL: 'https://hsscp-reviews-abc.azurewebsites.net',
      PROFILE: String(parameters.parameters.profile!.value),
      TEAMS_APP_ID: String(parameters.parameters.teamsAppId!.value),
      PARTNERSHIP_MAILBOX: String(parameters.parameters.partnershipMailbox!.value),
      DIGEST_TIME: String(parameters.parameters.digestTime!.value),
    };
    const env = Object.fromEntries(
      [...settings].map(([name, value]) => [name, /^'.*'$/.test(value) ? value.slice(1, -1) : (stand[name] ?? '')]),
    );
    const config = readConfig(env);
    expect(config).toMatchObject({
      DATABASE_AUTH: 'entra',
      MicrosoftAppType: 'UserAssignedMSI',
      GRAPH_AUTH: 'managed_identity',
      PLAYGROUND: 'off',
      PORT: 8080,
    });
    expect(config.MicrosoftAppPassword).toBeUndefined(); // a managed identity has no password
  });

  it('has a parameters file that gives only parameters the template declares, and every one without a default', () => {
    const declared = [...bicep.matchAll(/^param (\w+) (\w+)( = .*)?$/gm)].map((m) => ({ name: m[1]!, hasDefault: Boolean(m[3]) }));
    const given = Object.keys(parameters.parameters);
    expect(given.filter((name) => !declared.some((d) => d.name === name))).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
  });

  it.each([
    ['a user-assigned managed identity', "'Microsoft.ManagedIdentity/userAssignedIdentities@"],
    ['an Azure Bot on that identity', "msaAppType: 'UserAssignedMSI'"],
    ['the Microsoft Teams channel', "channelName: 'MsTeamsChannel'"],
    ['App Service on Linux, Node 22 LTS', "linuxFxVersion: 'NODE|22-lts'"],
    ['HTTPS only', 'httpsOnly: true'],
    ['a health check on /healthz', "healthCheckPath: '/healthz'"],
    ['the identity attached to the app', "type: 'UserAssigned'"],
    ['Key Vault with RBAC', 'enableRbacAuthorization: true'],
    ['PostgreSQL flexible server with Entra authentication only', "activeDirectoryAuth: 'Enabled'\n      passwordAuth: 'Disabled'"],
    ['Application Insights', "'Microsoft.Insights/components@"],
    ['Log Analytics', "'Microsoft.OperationalInsights/workspaces@"],
  ])('declares %s', (_what, text) => {
    expect(bicep).toContain(text);
  });
});
