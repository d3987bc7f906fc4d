import type { Collector } from '../shared/collector/contract';
import { fetchMetadata, writeMetadata } from './collector';
import { connectMetadataSource } from './connect-source';
import type { InstanceMetadata, MetadataPorts } from './ports';
import { sqlMetadataStore } from './store';

/** The metadata collector, wired to Connect through the run's gateway and to its SQL. */
export const metadata: Collector<MetadataPorts, InstanceMetadata> = {
  feed: 'metadata',
  ports: ({ connect, run }) => ({
    connect: connectMetadataSource(connect, run.instance.instanceId, run.instance.instanceArn),
    store: sqlMetadataStore,
  }),
  fetch: fetchMetadata,
  write: writeMetadata,
};
