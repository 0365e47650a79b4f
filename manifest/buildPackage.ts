// `npm run package:teams`: fills the manifest from the service's configuration (MicrosoftAppId,
// PUBLIC_URL, TEAMS_APP_ID, TAB_SSO_CLIENT_ID), validates it, and writes dist/teams-app.zip.
import { mkdirSync, writeFileSync } from 'node:fs';

import { readConfig } from '../src/config.ts';
import { fillManifest, validateManifest, zipPackage } from './teamsAppPackage.ts';

const config = readConfig();
if (!config.TEAMS_APP_ID || !config.MicrosoftAppId || !config.PUBLIC_URL) {
  console.error(
    'Set TEAMS_APP_ID, MicrosoftAppId and PUBLIC_URL (and TAB_SSO_CLIENT_ID if the tab signs in with another app) to build the Teams app package.',
  );
  process.exit(2);
}
const manifest = fillManifest({
  teamsAppId: config.TEAMS_APP_ID,
  botAppId: config.MicrosoftAppId,
  host: new URL(config.PUBLIC_URL).host,
  ssoClientId: config.TAB_SSO_CLIENT_ID ?? config.MicrosoftAppId,
});
const problems = await validateManifest(manifest);
if (problems.length > 0) {
  console.error(`The manifest does not validate:\n${problems.join('\n')}`);
  process.exit(1);
}
mkdirSync('dist', { recursive: true });
writeFileSync('dist/teams-app.zip', zipPackage(manifest));
console.log('Wrote dist/teams-app.zip: upload it in Teams admin center > Teams apps > Manage apps > Upload.');
