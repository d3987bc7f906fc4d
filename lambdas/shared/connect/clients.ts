import { ConnectClient } from '@aws-sdk/client-connect';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { InstanceConfig } from '../config/runtime-config';

/** How the Connect clients get credentials. */
export interface ConnectClientOptions {
  /**
   * Credentials for instances without a `roleArn` (and for the STS call that assumes one).
   * @default the SDK's default chain (the Lambda role)
   */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/**
 * Builds the Connect client for one instance: its Region, its endpoint override (simulator), and
 * for an instance in another account credentials from STS AssumeRole on its `roleArn`, which the
 * provider caches and renews shortly before they expire. SDK retries are off (`maxAttempts: 1`):
 * {@link ConnectGateway} owns retries, so that throttles are counted and bounded by the run deadline.
 */
function createConnectClient(instance: InstanceConfig, options: ConnectClientOptions = {}): ConnectClient {
  const credentials = instance.roleArn
    ? fromTemporaryCredentials({
        params: {
          RoleArn: instance.roleArn,
          RoleSessionName: 'connect-metrics-collector',
          DurationSeconds: 3600,
        },
        clientConfig: { region: instance.region },
        masterCredentials: options.credentials,
      })
    : options.credentials;
  return new ConnectClient({
    region: instance.region,
    maxAttempts: 1,
    endpoint: instance.endpoint,
    credentials,
  });
}

/** One Connect client per instance for the life of the process (module scope in a Lambda). */
export class ConnectClients {
  private readonly clients = new Map<string, ConnectClient>();

  constructor(private readonly options: ConnectClientOptions = {}) {}

  /** The cached client for `instance`. */
  for(instance: InstanceConfig): ConnectClient {
    let client = this.clients.get(instance.instanceId);
    if (!client) {
      client = createConnectClient(instance, this.options);
      this.clients.set(instance.instanceId, client);
    }
    return client;
  }

  /** Closes every client's sockets. */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
