import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseProfile, ProfileError } from '../../domain/profiles/parseProfile.ts';
import type { Profile } from '../../domain/profiles/profileSchema.ts';

/** The shipped profiles live in src/profiles, one JSON file each. */
export const SHIPPED_PROFILES_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

/** Reads and validates one profile file; errors name the file and the field. */
export function loadProfileFile(path: string): Profile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProfileError(basename(path), '(file)', error instanceof Error ? error.message : String(error));
  }
  return parseProfile(json, basename(path));
}

/** Every profile in a folder, validated at start-up so a bad one stops the service before it serves. */
export function loadProfiles(dir = SHIPPED_PROFILES_DIR): Map<string, Profile> {
  const profiles = new Map<string, Profile>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const profile = loadProfileFile(`${dir}/${file}`);
    if (profiles.has(profile.id)) throw new ProfileError(file, 'id', `duplicate profile id "${profile.id}"`);
    profiles.set(profile.id, profile);
  }
  return profiles;
}
