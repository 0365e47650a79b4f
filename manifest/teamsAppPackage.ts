import { readFileSync } from 'node:fs';

import { AppManifestUtils } from '@microsoft/app-manifest';
import AdmZip from 'adm-zip';

export interface PackageValues {
  /** The Teams app's own id (a GUID of your choosing, stable across versions). */
  readonly teamsAppId: string;
  /** The bot's Microsoft app id: the managed identity's client id (UserAssignedMSI) or the Entra app's. */
  readonly botAppId: string;
  /** The service's host name, e.g. safeguarding-reviews.azurewebsites.net. */
  readonly host: string;
  /** The Entra app the tab's SSO tokens are for (webApplicationInfo). */
  readonly ssoClientId: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const folder = new URL('./', import.meta.url);

/** The manifest with the ids and host filled in; refuses values that would make a broken package. */
export function fillManifest(values: PackageValues): Record<string, unknown> {
  for (const [name, value] of Object.entries({
    teamsAppId: values.teamsAppId,
    botAppId: values.botAppId,
    ssoClientId: values.ssoClientId,
  })) {
    if (!GUID.test(value)) throw new Error(`${name} must be a GUID, got "${value}"`);
  }
  if (!/^[a-z0-9.-]+$/i.test(values.host)) throw new Error(`host must be a host name (no scheme or path), got "${values.host}"`);
  const text = readFileSync(new URL('manifest.template.json', folder), 'utf8')
    .replaceAll('{{TEAMS_APP_ID}}', values.teamsAppId)
    .replaceAll('{{BOT_APP_ID}}', values.botAppId)
    .replaceAll('{{HOST}}', values.host)
    .replaceAll('{{SSO_CLIENT_ID}}', values.ssoClientId);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Validates against the schema of the manifest's version, bundled with @microsoft/app-manifest (offline). */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as never);
}

/** manifest.json and both icons in a zip, as Teams takes it. */
export function zipPackage(manifest: Record<string, unknown>): Buffer {
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  zip.addFile('color.png', readFileSync(new URL('color.png', folder)));
  zip.addFile('outline.png', readFileSync(new URL('outline.png', folder)));
  return zip.toBuffer();
}
