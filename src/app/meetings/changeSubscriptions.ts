/** Graph change notifications: a subscription on a resource, created and renewed before it lapses. */
export interface ChangeSubscriptions {
  create(input: {
    resource: string;
    notificationUrl: string;
    clientState: string;
    expiresAt: Date;
  }): Promise<{ id: string; expiresAt: Date }>;
  renew(id: string, expiresAt: Date): Promise<void>;
}
