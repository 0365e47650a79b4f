import { readFileSync } from 'node:fs';

import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

export interface GraphIdentitySettings {
  readonly auth: 'managed_identity' | 'client_secret' | 'certificate';
  readonly tenantId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly certificatePath?: string | undefined;
}

/**
 * The credential Graph calls use, chosen by configuration and never hard-coded: the user-assigned
 * managed identity in Azure, a client secret or a certificate elsewhere. Application permissions:
 * the service acts as the partnership mailbox, not as a signed-in person.
 */
export function graphCredential(settings: GraphIdentitySettings): TokenCredential {
  const need = (value: string | undefined, name: string) => {
    if (!value) throw new Error(`GRAPH_AUTH=${settings.auth} needs ${name}`);
    return value;
  };
  switch (settings.auth) {
    case 'managed_identity':
      return new ManagedIdentityCredential({ clientId: need(settings.clientId, 'GRAPH_CLIENT_ID (the managed identity client id)') });
    case 'client_secret':
      return new ClientSecretCredential(
        need(settings.tenantId, 'GRAPH_TENANT_ID'),
        need(settings.clientId, 'GRAPH_CLIENT_ID'),
        need(settings.clientSecret, 'GRAPH_CLIENT_SECRET'),
      );
    case 'certificate':
      return new ClientCertificateCredential(need(settings.tenantId, 'GRAPH_TENANT_ID'), need(settings.clientId, 'GRAPH_CLIENT_ID'), {
        certificate: readFileSync(need(settings.certificatePath, 'GRAPH_CERTIFICATE_PATH'), 'utf8'),
      });
  }
}
