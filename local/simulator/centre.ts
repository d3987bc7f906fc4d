import { Catalog, type SimulatorProfile } from './catalog';
import { ContactCentre } from './engine';
import { LiveView } from './live';
import type { SimulatedInstance } from './types';

/** One simulated instance: its resources, its running model and its live view. */
export interface SimulatedCentre {
  readonly instance: SimulatedInstance;
  readonly catalog: Catalog;
  readonly model: ContactCentre;
  readonly live: LiveView;
}

/** Builds an instance's contact centre at `startMs`. */
export function createCentre(
  instance: SimulatedInstance,
  options: {
    seed: number;
    queues: number;
    agents: number;
    profile: SimulatorProfile;
    timeZone?: string;
    startMs: number;
    retentionMs: number;
    contactRecords?: boolean;
  },
): SimulatedCentre {
  const catalog = new Catalog({
    instance,
    seed: options.seed,
    queues: options.queues,
    agents: options.agents,
    profile: options.profile,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    nowMs: options.startMs,
  });
  const model = new ContactCentre(
    catalog,
    options.seed,
    options.startMs,
    options.retentionMs,
    options.contactRecords,
  );
  return { instance, catalog, model, live: new LiveView(model) };
}
