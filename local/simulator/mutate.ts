import type { SimulatedCentre } from './centre';
import type { SimulatorClock } from './clock';

/** Metadata changes while the simulator runs. */
export interface SimulatorMutations {
  /** Adds a STANDARD queue taken by a routing profile (the first by default); returns its id. */
  addQueue(
    name: string,
    options?: { routingProfileId?: string; instanceId?: string; weight?: number },
  ): string;
  /**
   * Deletes a STANDARD queue (Connect's DeleteQueue): it leaves its routing profiles, gets no more
   * contacts, disappears from ListQueues, and the metric APIs refuse it as a filter value.
   */
  deleteQueue(queueId: string, instanceId?: string): void;
  /** Removes an agent: it logs off once its contacts end and disappears from the list APIs. */
  removeAgent(agentId: string, instanceId?: string): void;
  /** Renames an agent status. */
  renameStatus(statusIdOrName: string, newName: string, instanceId?: string): void;
}

/** Mutation helpers over the simulated centres. */
export function mutations(centres: readonly SimulatedCentre[], clock: SimulatorClock): SimulatorMutations {
  const find = (instanceId?: string): SimulatedCentre => {
    const centre = instanceId ? centres.find((c) => c.instance.instanceId === instanceId) : centres[0];
    if (!centre) throw new RangeError(`unknown instance ${instanceId ?? '(none)'}`);
    return centre;
  };
  return {
    addQueue(name, options = {}) {
      const centre = find(options.instanceId);
      const now = clock.now();
      const profile = options.routingProfileId ? centre.catalog.profileIndex(options.routingProfileId) : 0;
      if (profile === undefined) throw new RangeError(`unknown routing profile ${options.routingProfileId}`);
      const queue = centre.catalog.addQueue(name, 'STANDARD', options.weight ?? 1, now);
      centre.catalog.attachQueue(profile, queue.index, 1, 0);
      const rp = centre.catalog.routingProfiles[profile];
      if (rp) rp.lastModified = now;
      centre.model.reindexQueues();
      return queue.id;
    },
    deleteQueue(queueId, instanceId) {
      const centre = find(instanceId);
      const index = centre.catalog.queueIndex(queueId);
      const queue = index === undefined ? undefined : centre.catalog.queues[index];
      if (queue?.type !== 'STANDARD') throw new RangeError(`unknown STANDARD queue ${queueId}`);
      queue.deleted = true;
      centre.catalog.detachQueue(queue.index);
      for (const profile of centre.catalog.routingProfiles) profile.lastModified = clock.now();
      centre.model.reindexQueues();
    },
    removeAgent(agentId, instanceId) {
      const centre = find(instanceId);
      const index = centre.catalog.agentIndex(agentId);
      const agent = index === undefined ? undefined : centre.catalog.agents[index];
      if (!agent) throw new RangeError(`unknown agent ${agentId}`);
      centre.model.requestStatus(agent, 1, centre.model.time);
      centre.model.accrue(agent, centre.model.time);
      agent.removed = true;
      centre.model.pools.refresh(agent);
      const queue = centre.catalog.queues[agent.agentQueueIndex];
      if (queue) queue.deleted = true;
    },
    renameStatus(statusIdOrName, newName, instanceId) {
      const centre = find(instanceId);
      const status = centre.catalog.statuses.find(
        (s) => s.id === statusIdOrName || s.name === statusIdOrName,
      );
      if (!status) throw new RangeError(`unknown status ${statusIdOrName}`);
      status.name = newName;
      status.lastModified = clock.now();
    },
  };
}
