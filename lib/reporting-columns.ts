/**
 * What every column of every dataset view means: Connect's definition where it is a Connect metric,
 * where the value comes from, its unit, and how it re-aggregates over time, queues and instances. The
 * one source for docs/metrics.md (`npm run docs:metrics`) and the QuickSight dataset column
 * descriptions; test/docs/metrics-doc.test.ts keeps it in step with REPORTING_VIEWS and the doc.
 */

/** One column's documentation. */
export interface ColumnDoc {
  readonly description: string;
  /** The API and metric (or table) it comes from. */
  readonly source: string;
  readonly unit: string;
  /** How it re-aggregates: `key`, `exact: sum`, `exact: sum(a)/sum(b) ...`, `max`, or `no: ...`. */
  readonly reaggregation: string;
}

type ViewDocs = Readonly<Record<string, Readonly<Record<string, ColumnDoc>>>>;

/** Per view, per column (the views written out; daily variants below are derived from them). */
/** Columns that mean the same in every view that has them. */
const SHARED = {
  channel: {
    description: 'Contact channel from GetMetricDataV2: VOICE, CHAT, TASK or EMAIL.',
    source: 'GetMetricDataV2 CHANNEL dimension (grouping CHANNEL)',
    unit: 'text',
    reaggregation: 'key',
  },
  client_name: {
    description:
      'Client label configured for this instance in the pipeline config; null until the metadata collector has recorded the instance.',
    source: 'pipeline config, written by the metadata collector (connect_instance.client_name)',
    unit: 'text',
    reaggregation: 'key',
  },
  environment: {
    description:
      'Environment label configured for this instance in the pipeline config; null until the metadata collector has recorded the instance.',
    source: 'pipeline config, written by the metadata collector (connect_instance.environment)',
    unit: 'text',
    reaggregation: 'key',
  },
  instance_id: {
    description: 'Amazon Connect instance ID the row belongs to.',
    source: 'pipeline config (the Connect instance the collector read)',
    unit: 'text',
    reaggregation: 'key',
  },
  queue_id: {
    description:
      "Connect queue ID. Only STANDARD queues are collected (Connect's per-agent AGENT queues are not).",
    source: 'GetMetricDataV2 QUEUE dimension',
    unit: 'text',
    reaggregation: 'key',
  },
  queue_name: {
    description:
      'Queue name from the metadata collector; null if metadata has not yet seen the queue. A deleted queue keeps its last name.',
    source: 'metadata: ListQueues (queue.queue_name)',
    unit: 'text',
    reaggregation: 'key',
  },
  username: {
    description:
      "Agent's Connect login name from the metadata collector; null if metadata has not yet seen the user. A deleted user keeps its last name.",
    source: 'metadata: ListUsers (agent.username)',
    unit: 'text',
    reaggregation: 'key',
  },
} satisfies Record<string, ColumnDoc>;

const VIEW_DOCS: ViewDocs = {
  v_queue_realtime_latest: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    environment: SHARED.environment,
    queue_id: {
      description:
        "Connect queue ID. Only STANDARD queues are collected (Connect's per-agent AGENT queues are not).",
      source: 'GetCurrentMetricData Dimensions.Queue.Id',
      unit: 'text',
      reaggregation: 'key',
    },
    queue_name: SHARED.queue_name,
    queue_type: {
      description:
        'Queue type from ListQueues: always STANDARD here, since agent queues are not collected; null if metadata has not yet seen the queue.',
      source: 'metadata: ListQueues QueueType (queue.queue_type)',
      unit: 'text',
      reaggregation: 'key',
    },
    channel: {
      description: 'Contact channel: VOICE, CHAT or TASK (GetCurrentMetricData does not report EMAIL).',
      source: 'GetCurrentMetricData Dimensions.Channel (grouping CHANNEL)',
      unit: 'text',
      reaggregation: 'key',
    },
    snapshot_time: {
      description:
        "When Connect took this snapshot (DataSnapshotTime; the run start if Connect gave none): the snapshot of the instance's latest successful run within the last day, so all its rows share it. A queue and channel Connect did not return has no current activity and no row.",
      source: 'GetCurrentMetricData DataSnapshotTime',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    agents_after_contact_work_count: {
      description:
        "Connect's 'Agent After contact work': despite the name it counts contacts in after-contact work (ACW), not agents. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData AGENTS_AFTER_CONTACT_WORK; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#aftercallwork-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    agents_available_count: {
      description:
        "Connect's 'Available': agents in Available status with no contact ongoing (idle), who can take an inbound contact now. Spare capacity of busy agents is slots_available_count. Don't add across queues: an agent can serve several queues.",
      source:
        'GetCurrentMetricData AGENTS_AVAILABLE; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#available-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    agents_error_count: {
      description:
        "Connect's 'Error': agents in an Error state (missed a call, rejected a chat or task, or a connection failure). Don't add across queues: an agent can serve several queues. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData AGENTS_ERROR; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#error-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    agents_non_productive_count: {
      description:
        "Connect's 'NPT': agents in a custom status (anything but Available or Offline). They can be on a contact at the same time, so may also count as on contact. Don't add across queues: an agent can serve several queues.",
      source:
        'GetCurrentMetricData AGENTS_NON_PRODUCTIVE; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#non-productive-time-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    agents_online_count: {
      description:
        "Connect's 'Online': agents whose status is anything but Offline, custom statuses included. Not how many can be routed contacts (see staffed, available). Don't add across queues: an agent can serve several queues.",
      source:
        'GetCurrentMetricData AGENTS_ONLINE; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#online-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    agents_on_call_count: {
      description:
        "AGENTS_ON_CALL is Connect's old name for AGENTS_ON_CONTACT, the same metric (ACW included), so it equals agents_on_contact_count. Don't add across queues: an agent can serve several queues. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData AGENTS_ON_CALL (legacy name of AGENTS_ON_CONTACT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#on-call-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    agents_on_contact_count: {
      description:
        "Connect's 'On contact': agents with at least one contact connected, on hold, in after-contact work, paused or ringing outbound; an agent with several contacts counts once. Don't add across queues: an agent can serve several queues.",
      source:
        'GetCurrentMetricData AGENTS_ON_CONTACT; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#on-call-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    agents_staffed_count: {
      description:
        "Connect's 'Staffed': agents online and not in a custom status, i.e. in Available status whether or not on a contact. Agents on Break, Training etc. are excluded. Don't add across queues: an agent can serve several queues.",
      source:
        'GetCurrentMetricData AGENTS_STAFFED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#staffed-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    contacts_in_queue_count: {
      description:
        "Connect's 'In queue': contacts waiting in the queue; a contact leaves the count when it is routed to an agent, before the agent accepts. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData CONTACTS_IN_QUEUE; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#in-queue-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    contacts_scheduled_count: {
      description:
        "Connect's 'Scheduled': customers in the queue for whom a callback is scheduled. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData CONTACTS_SCHEDULED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#scheduled-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    estimated_wait_time_seconds: {
      description:
        "Connect's estimated wait time for this queue and channel, in seconds. Connect's API reference gives only its unit, not a formula. Null when Connect gave no value.",
      source: 'GetCurrentMetricData ESTIMATED_WAIT_TIME; def: API reference GetCurrentMetricData (unit only)',
      unit: 'seconds',
      reaggregation: 'latest snapshot only',
    },
    oldest_contact_age_seconds: {
      description:
        "Connect's 'Oldest': how long the contact waiting longest in the queue has been there, stored in seconds. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData OLDEST_CONTACT_AGE (converted to seconds if Connect sent milliseconds); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#oldest-real-time',
      unit: 'seconds',
      reaggregation: 'latest snapshot only',
    },
    slots_active_count: {
      description:
        "Connect's 'Active' slots: agent slots holding a contact that is connected, on hold, in after-contact work, paused or ringing outbound. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData SLOTS_ACTIVE; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#active-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    slots_available_count: {
      description:
        "Connect's 'Availability': free agent slots for routing new contacts; slots of agents in a custom status are not counted. Null when Connect gave no value.",
      source:
        'GetCurrentMetricData SLOTS_AVAILABLE; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#availability-real-time',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    data_age_seconds: {
      description:
        'Seconds from snapshot_time to the moment the view is queried; a growing value means the real-time feed has stopped.',
      source: 'computed: now() - snapshot_time',
      unit: 'seconds',
      reaggregation: 'max',
    },
  },
  v_queue_realtime_1min: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    environment: SHARED.environment,
    queue_id: {
      description:
        "Connect queue ID. Only STANDARD queues are collected (Connect's per-agent AGENT queues are not).",
      source: 'GetCurrentMetricData Dimensions.Queue.Id',
      unit: 'text',
      reaggregation: 'key',
    },
    queue_name: SHARED.queue_name,
    channel: {
      description: 'Contact channel: VOICE, CHAT or TASK (GetCurrentMetricData does not report EMAIL).',
      source: 'GetCurrentMetricData Dimensions.Channel (grouping CHANNEL)',
      unit: 'text',
      reaggregation: 'key',
    },
    minute_start: {
      description:
        'Start of the UTC minute the 10-second snapshots fall in. Filter on it: it is indexed. Raw snapshots are kept only for the retention period.',
      source: "computed: date_bin('1 minute', snapshot_time, 2000-01-01 UTC)",
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    sample_count: {
      description:
        'Number of snapshots in the minute for this queue and channel (6 at the default 10-second cadence when none was missed).',
      source: 'computed: count of queue_realtime_snapshot rows in the minute',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    agents_after_contact_work_avg: {
      description:
        "Average over the minute's snapshots that had a value: contacts in after-contact work (AGENTS_AFTER_CONTACT_WORK counts contacts, not agents). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_AFTER_CONTACT_WORK snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#aftercallwork-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_after_contact_work_max: {
      description:
        "Highest value in the minute's snapshots: contacts in after-contact work (AGENTS_AFTER_CONTACT_WORK counts contacts, not agents).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_AFTER_CONTACT_WORK snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#aftercallwork-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    agents_available_avg: {
      description:
        "Average over the minute's snapshots that had a value: idle agents in Available status (AGENTS_AVAILABLE). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_AVAILABLE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#available-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_available_max: {
      description:
        "Highest value in the minute's snapshots: idle agents in Available status (AGENTS_AVAILABLE).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_AVAILABLE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#available-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    agents_error_avg: {
      description:
        "Average over the minute's snapshots that had a value: agents in an Error state (AGENTS_ERROR). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_ERROR snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#error-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_error_max: {
      description: "Highest value in the minute's snapshots: agents in an Error state (AGENTS_ERROR).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_ERROR snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#error-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    agents_non_productive_avg: {
      description:
        "Average over the minute's snapshots that had a value: agents in a custom status (AGENTS_NON_PRODUCTIVE). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_NON_PRODUCTIVE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#non-productive-time-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_non_productive_max: {
      description:
        "Highest value in the minute's snapshots: agents in a custom status (AGENTS_NON_PRODUCTIVE).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_NON_PRODUCTIVE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#non-productive-time-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    agents_online_avg: {
      description:
        "Average over the minute's snapshots that had a value: agents not Offline, custom statuses included (AGENTS_ONLINE). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_ONLINE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#online-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_online_max: {
      description:
        "Highest value in the minute's snapshots: agents not Offline, custom statuses included (AGENTS_ONLINE).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_ONLINE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#online-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    agents_on_call_avg: {
      description:
        "Average over the minute's snapshots that had a value: AGENTS_ON_CALL, the old name of AGENTS_ON_CONTACT (same metric, ACW included). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_ON_CALL snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#on-call-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_on_call_max: {
      description:
        "Highest value in the minute's snapshots: AGENTS_ON_CALL, the old name of AGENTS_ON_CONTACT (same metric, ACW included).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_ON_CALL snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#on-call-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    agents_on_contact_avg: {
      description:
        "Average over the minute's snapshots that had a value: agents with a contact connected, on hold, in ACW, paused or ringing outbound (AGENTS_ON_CONTACT). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_ON_CONTACT snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#on-call-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_on_contact_max: {
      description:
        "Highest value in the minute's snapshots: agents with a contact connected, on hold, in ACW, paused or ringing outbound (AGENTS_ON_CONTACT).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_ON_CONTACT snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#on-call-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    agents_staffed_avg: {
      description:
        "Average over the minute's snapshots that had a value: agents online and not in a custom status (AGENTS_STAFFED). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData AGENTS_STAFFED snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#staffed-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    agents_staffed_max: {
      description:
        "Highest value in the minute's snapshots: agents online and not in a custom status (AGENTS_STAFFED).",
      source:
        'computed: max of GetCurrentMetricData AGENTS_STAFFED snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#staffed-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    contacts_in_queue_avg: {
      description:
        "Average over the minute's snapshots that had a value: contacts waiting in the queue (CONTACTS_IN_QUEUE). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData CONTACTS_IN_QUEUE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#in-queue-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    contacts_in_queue_max: {
      description:
        "Highest value in the minute's snapshots: contacts waiting in the queue (CONTACTS_IN_QUEUE).",
      source:
        'computed: max of GetCurrentMetricData CONTACTS_IN_QUEUE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#in-queue-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    contacts_scheduled_avg: {
      description:
        "Average over the minute's snapshots that had a value: customers with a scheduled callback (CONTACTS_SCHEDULED). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData CONTACTS_SCHEDULED snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#scheduled-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    contacts_scheduled_max: {
      description:
        "Highest value in the minute's snapshots: customers with a scheduled callback (CONTACTS_SCHEDULED).",
      source:
        'computed: max of GetCurrentMetricData CONTACTS_SCHEDULED snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#scheduled-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    estimated_wait_time_avg_seconds: {
      description:
        "Average over the minute's snapshots that had a value: Connect's estimated wait time (ESTIMATED_WAIT_TIME). Null if no snapshot in the minute had one.",
      source: 'computed: avg of GetCurrentMetricData ESTIMATED_WAIT_TIME snapshots in the minute',
      unit: 'seconds',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    estimated_wait_time_max_seconds: {
      description:
        "Highest value in the minute's snapshots: Connect's estimated wait time (ESTIMATED_WAIT_TIME).",
      source: 'computed: max of GetCurrentMetricData ESTIMATED_WAIT_TIME snapshots in the minute',
      unit: 'seconds',
      reaggregation: 'max',
    },
    oldest_contact_age_avg_seconds: {
      description:
        "Average over the minute's snapshots that had a value: age of the longest-waiting contact (OLDEST_CONTACT_AGE). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData OLDEST_CONTACT_AGE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#oldest-real-time',
      unit: 'seconds',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    oldest_contact_age_max_seconds: {
      description:
        "Highest value in the minute's snapshots: age of the longest-waiting contact (OLDEST_CONTACT_AGE).",
      source:
        'computed: max of GetCurrentMetricData OLDEST_CONTACT_AGE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#oldest-real-time',
      unit: 'seconds',
      reaggregation: 'max',
    },
    slots_active_avg: {
      description:
        "Average over the minute's snapshots that had a value: occupied agent slots (SLOTS_ACTIVE). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData SLOTS_ACTIVE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#active-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    slots_active_max: {
      description: "Highest value in the minute's snapshots: occupied agent slots (SLOTS_ACTIVE).",
      source:
        'computed: max of GetCurrentMetricData SLOTS_ACTIVE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#active-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
    slots_available_avg: {
      description:
        "Average over the minute's snapshots that had a value: free agent slots for new contacts (SLOTS_AVAILABLE). Null if no snapshot in the minute had one.",
      source:
        'computed: avg of GetCurrentMetricData SLOTS_AVAILABLE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#availability-real-time',
      unit: 'count',
      reaggregation:
        'no: do not add minutes together; average them weighted by sample_count (approximate when some snapshots had no value)',
    },
    slots_available_max: {
      description:
        "Highest value in the minute's snapshots: free agent slots for new contacts (SLOTS_AVAILABLE).",
      source:
        'computed: max of GetCurrentMetricData SLOTS_AVAILABLE snapshots in the minute; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#availability-real-time',
      unit: 'count',
      reaggregation: 'max',
    },
  },
  v_agent_realtime_latest: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    agent_id: {
      description: 'Connect user ID of the agent.',
      source: 'GetCurrentUserData User.Id',
      unit: 'text',
      reaggregation: 'key',
    },
    username: SHARED.username,
    snapshot_time: {
      description:
        "When this GetCurrentUserData read ran (run start, to the second; the API returns no snapshot time): the snapshot of the instance's latest successful run within the last day; only logged-in agents or agents still holding contacts appear, none when none is logged in.",
      source: 'collector run start (GetCurrentUserData has no DataSnapshotTime)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    agent_status_name: {
      description:
        "The agent's current status as set in the CCP (Available or a custom status such as Break); null if Connect gave none.",
      source: 'GetCurrentUserData Status.StatusName',
      unit: 'text',
      reaggregation: 'key',
    },
    status_started_at: {
      description: 'When the agent entered the current status.',
      source: 'GetCurrentUserData Status.StatusStartTimestamp',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    routing_profile_id: {
      description: "ID of the agent's routing profile.",
      source: 'GetCurrentUserData RoutingProfile.Id',
      unit: 'text',
      reaggregation: 'key',
    },
    routing_profile_name: {
      description:
        'Routing profile name from the metadata collector; null if metadata has not yet seen the profile.',
      source: 'metadata: ListRoutingProfiles (routing_profile.routing_profile_name)',
      unit: 'text',
      reaggregation: 'key',
    },
    available_slots_count: {
      description:
        'Free slots the agent has for new contacts, added over channels. Null when Connect reported no slots.',
      source: 'GetCurrentUserData AvailableSlotsByChannel, summed over channels',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    active_slots_count: {
      description: 'Slots holding a contact, added over channels. Null when Connect reported no slots.',
      source: 'GetCurrentUserData ActiveSlotsByChannel, summed over channels',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    max_slots_count: {
      description:
        'Maximum slots from the routing profile, added over channels; it overstates concurrent capacity when the profile allows one channel or another (1 voice or 3 chats shows 4).',
      source: 'GetCurrentUserData MaxSlotsByChannel, summed over channels',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
    contacts_count: {
      description:
        'Number of contacts Connect lists for the agent right now, in any state (incoming, connected, on hold, after-contact work...). 0 when none.',
      source: 'GetCurrentUserData Contacts (count of the list)',
      unit: 'count',
      reaggregation: 'latest snapshot only',
    },
  },
  v_agent_status_timeline: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    agent_id: {
      description: 'Connect user ID of the agent.',
      source: 'GetCurrentUserData User.Id',
      unit: 'text',
      reaggregation: 'key',
    },
    username: SHARED.username,
    agent_status_name: {
      description:
        'The agent status of this interval (CCP status name such as Available or a custom status).',
      source: 'GetCurrentUserData Status.StatusName',
      unit: 'text',
      reaggregation: 'key',
    },
    started_at: {
      description:
        "When the status began: Connect's StatusStartTimestamp, or the snapshot time when the status changed without a new start time.",
      source: 'GetCurrentUserData Status.StatusStartTimestamp (else snapshot time)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    ended_at: {
      description:
        "When the status ended: the next status's start, or the first snapshot in which the agent was no longer reported (logged out). Null while the status is current.",
      source: 'derived from successive GetCurrentUserData snapshots',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    is_current: {
      description: "True for the agent's open status interval (ended_at is null).",
      source: 'computed: ended_at IS NULL',
      unit: 'boolean',
      reaggregation: 'key',
    },
    duration_seconds: {
      description:
        'Length of the interval; for the current one, up to the last snapshot that saw it, not to now. Ends detected from snapshots are accurate to the polling cadence (10 s by default).',
      source: 'computed: coalesce(ended_at, last_seen_at) - started_at',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
  },
  v_data_freshness: {
    instance_id: {
      description: 'Amazon Connect instance ID the row belongs to.',
      source: 'collector_run.instance_id (pipeline bookkeeping)',
      unit: 'text',
      reaggregation: 'key',
    },
    client_name: SHARED.client_name,
    feed: {
      description: 'Collector feed: metadata, current_metrics, current_users or historical_metrics.',
      source: 'collector_run (pipeline bookkeeping)',
      unit: 'text',
      reaggregation: 'key',
    },
    last_run_at: {
      description: "Start time of the feed's most recent run, whatever its outcome.",
      source: 'collector_run (pipeline bookkeeping)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    last_outcome: {
      description:
        'Outcome of the most recent run: succeeded, partial (some records skipped, the rest written) or failed.',
      source: 'collector_run (pipeline bookkeeping)',
      unit: 'text',
      reaggregation: 'key',
    },
    last_error: {
      description: 'Error text of the most recent run; null when it had none.',
      source: 'collector_run (pipeline bookkeeping)',
      unit: 'text',
      reaggregation: 'key',
    },
    last_success_at: {
      description:
        'When the most recent succeeded or partial run finished; null if the feed never succeeded.',
      source: 'collector_run (pipeline bookkeeping)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    last_success_rows: {
      description: 'Rows that run inserted or changed (0 when everything it read was already stored).',
      source: 'collector_run (pipeline bookkeeping)',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    last_data_time: {
      description:
        'Newest data that run wrote: the snapshot time (real-time feeds), the end of the newest interval (historical_metrics) or the run time (metadata).',
      source: 'collector_run (pipeline bookkeeping)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    seconds_since_success: {
      description:
        'Seconds from last_success_at to the moment the view is queried; null if the feed never succeeded.',
      source: 'computed: now() - last_success_at',
      unit: 'seconds',
      reaggregation: 'max',
    },
  },
  v_queue_interval: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    environment: SHARED.environment,
    queue_id: SHARED.queue_id,
    queue_name: SHARED.queue_name,
    channel: SHARED.channel,
    interval_start: {
      description:
        'Start of the 15-minute UTC interval. Contact-record metrics count contacts by the interval they disconnected in; records arrive after after-contact work, so recent intervals can change (see restated_at).',
      source: 'GetMetricDataV2 MetricInterval.StartTime (IntervalPeriod FIFTEEN_MIN, TimeZone UTC)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    interval_end: {
      description: 'End of the 15-minute UTC interval (exclusive).',
      source: 'GetMetricDataV2 MetricInterval.EndTime',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    contacts_queued_count: {
      description:
        "Connect's 'Contacts queued': contacts placed in the queue, counted when the contact disconnects (not when it was enqueued).",
      source:
        'GetMetricDataV2 CONTACTS_QUEUED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-queued',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_handled_count: {
      description:
        "Connect's 'Contacts handled': contacts connected to an agent however they got there (inbound from the queue, outbound, transfers, callbacks). Not the number answered from the queue. Booked in the interval the contact disconnected.",
      source:
        'GetMetricDataV2 CONTACTS_HANDLED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-handled',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_abandoned_count: {
      description:
        "Connect's 'Contacts abandoned': contacts the customer disconnected while waiting in the queue; contacts queued for callback and transfers out are not abandons. Booked in the interval the contact disconnected.",
      source:
        'GetMetricDataV2 CONTACTS_ABANDONED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-abandoned',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_answered_count: {
      description:
        'Contacts answered by an agent from this queue (every wait under 7 days): the weight of queue answer time. Rows collected before this definition was stored may hold contacts handled instead.',
      source:
        'GetMetricDataV2 SUM_CONTACTS_ANSWERED_IN_X (Threshold LT 604800 s); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-answered-in-x-seconds',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_put_on_hold_count: {
      description:
        "Connect's 'Contacts put on hold': contacts an agent put on hold one or more times. Booked in the interval the contact disconnected.",
      source:
        'GetMetricDataV2 CONTACTS_PUT_ON_HOLD; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-put-on-hold',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    handle_time_sum_seconds: {
      description:
        "Connect's 'Contact handle time': total talk, hold, after-contact work and pause time of contacts, including time the agent was in a custom status. Not the numerator of Connect's AHT.",
      source:
        'GetMetricDataV2 SUM_HANDLE_TIME; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contact-handle-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    hold_time_sum_seconds: {
      description:
        "Connect's 'Customer hold time': total time customers spent on hold after being connected to an agent (holds during transfers included, queue time excluded).",
      source:
        'GetMetricDataV2 SUM_HOLD_TIME; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#customer-hold-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    after_contact_work_time_sum_seconds: {
      description:
        "Connect's 'After contact work time': total time agents spent in after-contact work (ACW) for these contacts.",
      source:
        'GetMetricDataV2 SUM_AFTER_CONTACT_WORK_TIME; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#after-contact-work-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    queue_answer_time_sum_seconds: {
      description:
        "Total time answered contacts waited in the queue (whisper included) = Connect's average queue answer time x contacts answered. Rows collected before this definition was stored used contacts handled as the weight.",
      source:
        'GetMetricDataV2 AVG_QUEUE_ANSWER_TIME x SUM_CONTACTS_ANSWERED_IN_X (LT 604800 s); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-answer-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    abandon_time_sum_seconds: {
      description:
        "Total time abandoned contacts waited in the queue before the customer hung up = Connect's average queue abandon time x contacts abandoned.",
      source:
        'GetMetricDataV2 AVG_ABANDON_TIME x CONTACTS_ABANDONED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-abandon-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    avg_handle_time_seconds: {
      description:
        "Connect's average handle time (AHT): talk, hold, ACW and pause time per handled contact, excluding time in custom statuses. Null for rows collected before this definition was stored or with no contacts handled.",
      source:
        'computed: aht_weighted_sum_seconds / contacts_handled_count (GetMetricDataV2 AVG_HANDLE_TIME); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-handle-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using aht_weighted_sum_seconds / contacts_handled_count',
    },
    avg_hold_time_seconds: {
      description:
        "Connect's 'Average customer hold time': hold time per contact put on hold. Null when no contact was put on hold.",
      source:
        'computed: hold_time_sum_seconds / contacts_put_on_hold_count; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-customer-hold-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using hold_time_sum_seconds / contacts_put_on_hold_count',
    },
    avg_after_contact_work_time_seconds: {
      description:
        "Connect's 'Average after contact work time': ACW time per handled contact (contacts with no ACW count as 0). Null with no contacts handled.",
      source:
        "computed: after_contact_work_time_sum_seconds / contacts_handled_count; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html (section 'Average after contact work time')",
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using after_contact_work_time_sum_seconds / contacts_handled_count',
    },
    avg_queue_answer_time_seconds: {
      description:
        "Connect's 'Average queue answer time' (ASA): average time contacts waited in the queue before an agent answered, whisper included. Null with no contacts answered.",
      source:
        'computed: queue_answer_time_sum_seconds / contacts_answered_count (GetMetricDataV2 AVG_QUEUE_ANSWER_TIME); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-answer-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using queue_answer_time_sum_seconds / contacts_answered_count',
    },
    avg_abandon_time_seconds: {
      description:
        "Connect's 'Average queue abandon time': average time abandoned contacts waited in the queue before hanging up. Null with no contacts abandoned.",
      source:
        'computed: abandon_time_sum_seconds / contacts_abandoned_count (GetMetricDataV2 AVG_ABANDON_TIME); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-abandon-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using abandon_time_sum_seconds / contacts_abandoned_count',
    },
    abandonment_rate_pct: {
      description:
        "Connect's abandonment rate: contacts abandoned as a percentage of contacts queued (callbacks are not abandons). Null with no contacts queued.",
      source:
        'computed: 100 x contacts_abandoned_count / contacts_queued_count; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#abandonment-rate',
      unit: 'percent',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using contacts_abandoned_count / contacts_queued_count (x100)',
    },
    aht_weighted_sum_seconds: {
      description:
        "Connect's average handle time x contacts handled: the numerator of Connect's AHT, to re-aggregate it by summing. Null for rows collected before this definition was stored.",
      source:
        'GetMetricDataV2 AVG_HANDLE_TIME x CONTACTS_HANDLED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-handle-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    avg_contact_handle_time_seconds: {
      description:
        "Contact handle time per handled contact. Includes custom-status time, so it can exceed avg_handle_time_seconds (Connect's AHT). Null with no contacts handled.",
      source:
        'computed: handle_time_sum_seconds / contacts_handled_count (GetMetricDataV2 SUM_HANDLE_TIME / CONTACTS_HANDLED); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contact-handle-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using handle_time_sum_seconds / contacts_handled_count',
    },
    restated_at: {
      description:
        'When a later re-read of this interval (at set ages, by default 1, 6 and 24 h, to catch late contact records) last changed its values. Null: every read agreed with the first, or the row predates restatement tracking.',
      source: 'collector re-read bookkeeping (queue_interval_metrics.restated_at)',
      unit: 'timestamp (UTC)',
      reaggregation: 'max',
    },
    contacts_handled_restated_by: {
      description:
        'How much contacts_handled_count changed since the first read of this interval (current minus first read), e.g. from late contact records. Null for rows first read before this was tracked.',
      source: 'computed: contacts_handled_count - contacts_handled_first_read_count (collector bookkeeping)',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
  },
  v_queue_daily: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    environment: SHARED.environment,
    queue_id: SHARED.queue_id,
    queue_name: SHARED.queue_name,
    channel: SHARED.channel,
    day_utc: {
      description:
        'UTC calendar day of the 15-minute intervals added up (not a local business day). Contacts are counted on the day they disconnected.',
      source: 'computed: date of interval_start in UTC',
      unit: 'date',
      reaggregation: 'key',
    },
    contacts_queued_count: {
      description:
        "Sum over the UTC day's 15-minute intervals of Connect's 'Contacts queued': contacts placed in the queue, counted when they disconnect.",
      source:
        'computed: sum over the day of GetMetricDataV2 CONTACTS_QUEUED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-queued',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_handled_count: {
      description:
        "Sum over the UTC day's 15-minute intervals of Connect's 'Contacts handled': contacts connected to an agent however they got there (inbound, outbound, transfers, callbacks); not the number answered from the queue.",
      source:
        'computed: sum over the day of GetMetricDataV2 CONTACTS_HANDLED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-handled',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_abandoned_count: {
      description:
        "Sum over the UTC day's 15-minute intervals of Connect's 'Contacts abandoned': contacts the customer disconnected while waiting in the queue (callbacks and transfers out excluded).",
      source:
        'computed: sum over the day of GetMetricDataV2 CONTACTS_ABANDONED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-abandoned',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    avg_handle_time_seconds: {
      description:
        "Connect's AHT for the day (excludes custom-status time), over the handled contacts of intervals that have it stored; null if none has. Re-aggregating from this view is exact only when every interval has it.",
      source:
        'computed: sum(aht_weighted_sum_seconds) / sum(contacts_handled_count where it is stored) (GetMetricDataV2 AVG_HANDLE_TIME); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-handle-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using aht_weighted_sum_seconds / contacts_handled_count',
    },
    avg_hold_time_seconds: {
      description:
        "Connect's 'Average customer hold time' for the day: hold time per contact put on hold. Null when no contact was put on hold.",
      source:
        'computed: sum(hold_time_sum_seconds) / sum(contacts_put_on_hold_count); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-customer-hold-time',
      unit: 'seconds',
      reaggregation:
        'no: the view lacks its sums; use hold_time_sum_seconds / contacts_put_on_hold_count from v_queue_interval',
    },
    avg_after_contact_work_time_seconds: {
      description:
        "Connect's 'Average after contact work time' for the day: ACW time per handled contact. Null with no contacts handled.",
      source:
        "computed: sum(after_contact_work_time_sum_seconds) / sum(contacts_handled_count); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html (section 'Average after contact work time')",
      unit: 'seconds',
      reaggregation:
        'no: the view lacks its sums; use after_contact_work_time_sum_seconds / contacts_handled_count from v_queue_interval',
    },
    avg_queue_answer_time_seconds: {
      description:
        "Connect's 'Average queue answer time' (ASA) for the day: average wait in the queue before an agent answered, whisper included. Null with no contacts answered.",
      source:
        'computed: sum(queue_answer_time_sum_seconds) / sum(contacts_answered_count); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-answer-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using queue_answer_time_sum_seconds / contacts_answered_count',
    },
    avg_abandon_time_seconds: {
      description:
        "Connect's 'Average queue abandon time' for the day: average wait of abandoned contacts before hanging up. Null with no contacts abandoned.",
      source:
        'computed: sum(abandon_time_sum_seconds) / sum(contacts_abandoned_count); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-abandon-time',
      unit: 'seconds',
      reaggregation:
        'no: the view lacks its sums; use abandon_time_sum_seconds / contacts_abandoned_count from v_queue_interval',
    },
    abandonment_rate_pct: {
      description:
        "Connect's abandonment rate for the day: contacts abandoned as a percentage of contacts queued. Null with no contacts queued.",
      source:
        'computed: 100 x sum(contacts_abandoned_count) / sum(contacts_queued_count); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#abandonment-rate',
      unit: 'percent',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using contacts_abandoned_count / contacts_queued_count (x100)',
    },
    contacts_answered_count: {
      description:
        "Sum over the UTC day's 15-minute intervals of contacts answered by an agent from this queue (weight of answer time); older rows may hold contacts handled.",
      source:
        'computed: sum over the day of GetMetricDataV2 SUM_CONTACTS_ANSWERED_IN_X (Threshold LT 604800 s); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-answered-in-x-seconds',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    queue_answer_time_sum_seconds: {
      description:
        "Sum over the UTC day's 15-minute intervals of the time answered contacts waited in the queue (average queue answer time x contacts answered).",
      source:
        'computed: sum over the day of GetMetricDataV2 AVG_QUEUE_ANSWER_TIME x SUM_CONTACTS_ANSWERED_IN_X (LT 604800 s); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-answer-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    handle_time_sum_seconds: {
      description:
        "Sum over the UTC day's 15-minute intervals of Connect's 'Contact handle time' (talk, hold, ACW, pause), custom-status time included.",
      source:
        'computed: sum over the day of GetMetricDataV2 SUM_HANDLE_TIME; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contact-handle-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    aht_weighted_sum_seconds: {
      description:
        "Sum over the UTC day's 15-minute intervals of Connect's average handle time x contacts handled (AHT numerator); intervals without it are left out.",
      source:
        'computed: sum over the day of GetMetricDataV2 AVG_HANDLE_TIME x CONTACTS_HANDLED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-handle-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    avg_contact_handle_time_seconds: {
      description:
        "Contact handle time per handled contact for the day. Includes custom-status time, so it can exceed avg_handle_time_seconds (Connect's AHT). Null with no contacts handled.",
      source:
        'computed: sum(handle_time_sum_seconds) / sum(contacts_handled_count); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contact-handle-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using handle_time_sum_seconds / contacts_handled_count',
    },
  },
  v_queue_service_level: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    queue_id: SHARED.queue_id,
    queue_name: SHARED.queue_name,
    channel: SHARED.channel,
    interval_start: {
      description:
        'Start of the 15-minute UTC interval. Contacts are counted in the interval they disconnected in.',
      source: 'GetMetricDataV2 MetricInterval.StartTime (FIFTEEN_MIN, UTC)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    threshold_seconds: {
      description:
        "Service level threshold X in seconds; 'within X' means strictly less than X. One row per configured threshold: filter to one threshold before adding rows.",
      source: 'pipeline config serviceLevelThresholdsSeconds (Threshold Comparison LT)',
      unit: 'seconds',
      reaggregation: 'key',
    },
    contacts_answered_in_threshold_count: {
      description:
        "Connect's 'Contacts answered in X seconds': contacts an agent answered less than threshold_seconds after they entered the queue.",
      source:
        'GetMetricDataV2 SUM_CONTACTS_ANSWERED_IN_X (LT threshold_seconds); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-answered-in-x-seconds',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_abandoned_in_threshold_count: {
      description:
        "Connect's 'Contacts abandoned in X seconds': queued contacts the customer disconnected, without reaching an agent, less than threshold_seconds after entering the queue.",
      source:
        'GetMetricDataV2 SUM_CONTACTS_ABANDONED_IN_X (LT threshold_seconds); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-abandoned-in-x-seconds',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_queued_count: {
      description:
        "Connect's 'Contacts queued' for the interval (service level denominator), repeated on every threshold row: add it up within one threshold_seconds only.",
      source:
        'GetMetricDataV2 CONTACTS_QUEUED; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-queued',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    service_level_pct: {
      description:
        "Connect's service level: contacts removed from the queue (answered, abandoned or moved) within threshold_seconds, as a percentage of contacts queued. Null for rows collected before this definition was stored or with none queued.",
      source:
        'computed: 100 x contacts_removed_in_threshold_count / contacts_queued_count (= GetMetricDataV2 SERVICE_LEVEL); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#service-level',
      unit: 'percent',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using contacts_removed_in_threshold_count / contacts_queued_count (x100, one threshold_seconds at a time)',
    },
    contacts_removed_in_threshold_count: {
      description:
        "Connect's 'Contacts removed from queue in X seconds': contacts that left the queue in under threshold_seconds however they left (answered, abandoned, callback, moved). Null for rows collected before this definition was stored.",
      source:
        'GetMetricDataV2 CONTACTS_REMOVED_FROM_QUEUE_IN_X (LT threshold_seconds); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-removed-from-queue',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    answered_in_threshold_pct: {
      description:
        "Contacts answered within threshold_seconds as a percentage of contacts queued: the answered-only figure, not Connect's service level. Null with no contacts queued.",
      source: 'computed: 100 x contacts_answered_in_threshold_count / contacts_queued_count',
      unit: 'percent',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using contacts_answered_in_threshold_count / contacts_queued_count (x100, one threshold_seconds at a time)',
    },
  },
  v_queue_interval_5min: {
    client_name: SHARED.client_name,
    queue_name: SHARED.queue_name,
    instance_id: SHARED.instance_id,
    queue_id: {
      description:
        "Connect queue ID. Only STANDARD queues are collected (Connect's per-agent AGENT queues are not).",
      source: 'GetMetricData Dimensions.Queue.Id',
      unit: 'text',
      reaggregation: 'key',
    },
    channel: {
      description: 'Contact channel: VOICE, CHAT or TASK (the channels GetMetricData v1 reports).',
      source: 'GetMetricData Dimensions.Channel (grouping CHANNEL)',
      unit: 'text',
      reaggregation: 'key',
    },
    interval_start: {
      description:
        'Start of the 5-minute UTC interval GetMetricData aggregated. Contact-record metrics count contacts that disconnected in it. v1 serves only the last 24 hours.',
      source: 'GetMetricData (v1) StartTime of the request',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    interval_minutes: {
      description: 'Interval length in minutes: always 5 in this view.',
      source: 'collector (queue_interval_metrics.interval_minutes)',
      unit: 'minutes',
      reaggregation: 'key',
    },
    interval_end: {
      description: 'End of the 5-minute UTC interval (exclusive).',
      source: 'GetMetricData (v1) EndTime of the request',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    contacts_abandoned_count: {
      description:
        "Connect's 'Contacts abandoned': contacts the customer disconnected while waiting in the queue; callbacks and transfers out are not abandons. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_ABANDONED SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-abandoned',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_agent_hung_up_first_count: {
      description:
        "Connect's 'Contacts agent hung up first': handled contacts the agent disconnected before the customer. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_AGENT_HUNG_UP_FIRST SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-agent-hung-up-first',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_consulted_count: {
      description:
        "Connect's 'Contacts consulted' (CONTACTS_CONSULTED) is deprecated by Connect (May 2019) and returns no data: do not rely on it.",
      source:
        'GetMetricData (v1) CONTACTS_CONSULTED SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-consulted',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_handled_count: {
      description:
        "Connect's 'Contacts handled': contacts connected to an agent however they got there (inbound from the queue, outbound, transfers, callbacks). Not the number answered from the queue. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_HANDLED SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-handled',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_handled_incoming_count: {
      description:
        "Connect's 'Contacts handled incoming': handled contacts that came in (inbound, transfer to agent, transfer to queue, queue-to-queue); new incoming chats are not included, only transferred chats.",
      source:
        'GetMetricData (v1) CONTACTS_HANDLED_INCOMING SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-handled-incoming',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_handled_outbound_count: {
      description:
        "Connect's 'Contacts handled outbound': outbound contacts handled by an agent, including calls the agent placed from the CCP. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_HANDLED_OUTBOUND SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-handled-outbound',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_hold_abandons_count: {
      description:
        "Connect's 'Contacts hold disconnect': contacts that disconnected while the customer was on hold, whether the agent or the customer hung up. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_HOLD_ABANDONS SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-hold-disconnect',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_missed_count: {
      description:
        "Connect's 'Agent non-response' (v1 CONTACTS_MISSED): contacts routed to an agent but not answered by that agent; one contact can count several times.",
      source:
        'GetMetricData (v1) CONTACTS_MISSED SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#agent-non-response',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_queued_count: {
      description:
        "Connect's 'Contacts queued': contacts placed in the queue, counted when the contact disconnects (not when it was enqueued).",
      source:
        'GetMetricData (v1) CONTACTS_QUEUED SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-queued',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_transferred_in_count: {
      description:
        "Connect's 'Contacts transferred in': contacts transferred into the queue from another queue or by an agent using the CCP. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_TRANSFERRED_IN SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-transferred-in',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_transferred_in_from_queue_count: {
      description:
        "Connect's 'Contacts transferred in from queue': contacts transferred into this queue from another queue in a Transfer to queue flow. Booked in the 5 minutes the contact disconnected in.",
      source:
        "GetMetricData (v1) CONTACTS_TRANSFERRED_IN_FROM_QUEUE SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html (section 'Contacts transferred in from queue')",
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_transferred_out_count: {
      description:
        "Connect's 'Contacts transferred out': contacts transferred out queue-to-queue or by an agent using the CCP, including ones never connected to an agent. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_TRANSFERRED_OUT SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-transferred-out',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    contacts_transferred_out_from_queue_count: {
      description:
        "Connect's 'Contacts transferred out queue': contacts moved from this queue to another by a Transfer to queue flow while waiting. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CONTACTS_TRANSFERRED_OUT_FROM_QUEUE SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-transferred-out-queue',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    api_contacts_handled_count: {
      description:
        "Connect's 'API contacts handled': contacts started by an Amazon Connect API call (such as StartOutboundVoiceContact) and handled by an agent. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) API_CONTACTS_HANDLED SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#api-contacts-handled',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    callback_contacts_handled_count: {
      description:
        "Connect's 'Callback contacts handled': contacts started from a queued callback and handled by an agent. Booked in the 5 minutes the contact disconnected in.",
      source:
        'GetMetricData (v1) CALLBACK_CONTACTS_HANDLED SUM; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#callback-contacts-handled',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    abandon_time_avg_seconds: {
      description:
        "Connect's 'Average queue abandon time' for the 5 minutes: average time abandoned contacts waited in the queue before hanging up. Connect's own average: do not average it further.",
      source:
        'GetMetricData (v1) ABANDON_TIME AVG; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-abandon-time',
      unit: 'seconds',
      reaggregation: 'no: per interval as Connect reports it',
    },
    after_contact_work_time_avg_seconds: {
      description:
        "Connect's average after contact work (ACW) time per contact for the 5 minutes, as Connect computes it.",
      source:
        'GetMetricData (v1) AFTER_CONTACT_WORK_TIME AVG; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#after-contact-work-time',
      unit: 'seconds',
      reaggregation: 'no: per interval as Connect reports it',
    },
    handle_time_avg_seconds: {
      description:
        "Connect's average handle time (AHT) for the 5 minutes: talk, hold, ACW and pause per contact, excluding time in custom statuses. Connect's own average.",
      source:
        'GetMetricData (v1) HANDLE_TIME AVG; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-handle-time',
      unit: 'seconds',
      reaggregation: 'no: per interval as Connect reports it',
    },
    hold_time_avg_seconds: {
      description:
        "Connect's 'Average customer hold time' for the 5 minutes: time customers spent on hold after reaching an agent, per contact put on hold.",
      source:
        'GetMetricData (v1) HOLD_TIME AVG; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-customer-hold-time',
      unit: 'seconds',
      reaggregation: 'no: per interval as Connect reports it',
    },
    interaction_and_hold_time_avg_seconds: {
      description:
        "Connect's 'Average agent interaction and customer hold time' for the 5 minutes: agent interaction plus customer hold time per contact.",
      source:
        'GetMetricData (v1) INTERACTION_AND_HOLD_TIME AVG; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-agent-interaction-and-customer-hold-time',
      unit: 'seconds',
      reaggregation: 'no: per interval as Connect reports it',
    },
    interaction_time_avg_seconds: {
      description:
        "Connect's 'Average agent interaction time' for the 5 minutes: time agents interacted with customers per contact, excluding hold, ACW and pause.",
      source:
        'GetMetricData (v1) INTERACTION_TIME AVG; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-agent-interaction-time',
      unit: 'seconds',
      reaggregation: 'no: per interval as Connect reports it',
    },
    queue_answer_time_avg_seconds: {
      description:
        "Connect's 'Average queue answer time' (ASA) for the 5 minutes: average wait in the queue before an agent answered, whisper included.",
      source:
        'GetMetricData (v1) QUEUE_ANSWER_TIME AVG; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-queue-answer-time',
      unit: 'seconds',
      reaggregation: 'no: per interval as Connect reports it',
    },
    queued_time_max_seconds: {
      description:
        "Connect's 'Maximum queued time' for the 5 minutes: the longest time a contact spent in the queue, abandoned contacts included.",
      source:
        'GetMetricData (v1) QUEUED_TIME MAX; def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#maximum-queued-time',
      unit: 'seconds',
      reaggregation: 'max',
    },
    occupancy_avg_pct: {
      description:
        "Connect's 'Occupancy' for the 5 minutes: agents' contact time as a percentage of contact plus idle time; concurrency is ignored.",
      source:
        'GetMetricData (v1) OCCUPANCY AVG (PERCENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#occupancy',
      unit: 'percent',
      reaggregation: 'no: per interval as Connect reports it',
    },
    handle_time_sum_seconds: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    hold_time_sum_seconds: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    contacts_put_on_hold_count: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    after_contact_work_time_sum_seconds: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    interaction_time_sum_seconds: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    queue_answer_time_sum_seconds: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    contacts_answered_count: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    abandon_time_sum_seconds: {
      description:
        'Always null in this view: a GetMetricDataV2-only column, and these rows come from GetMetricData v1. Use v_queue_interval.',
      source: 'none on 5-minute rows (filled only on GetMetricDataV2 15-minute rows)',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    collected_at: {
      description:
        'When the collector last read this row: its first read or a later re-read (intervals are re-read at set ages to catch late contact records).',
      source: 'collector bookkeeping (queue_interval_metrics.collected_at)',
      unit: 'timestamp (UTC)',
      reaggregation: 'max',
    },
  },
  v_agent_interval: {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    agent_id: {
      description: 'Connect user ID of the agent.',
      source: 'GetMetricDataV2 AGENT dimension',
      unit: 'text',
      reaggregation: 'key',
    },
    username: SHARED.username,
    interval_start: {
      description:
        'Start of the 15-minute UTC interval. Contact-record metrics (handled, handle time) count contacts that disconnected in it; agent-activity times count when they happened.',
      source: 'GetMetricDataV2 MetricInterval.StartTime (FIFTEEN_MIN, UTC)',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    interval_end: {
      description: 'End of the 15-minute UTC interval (exclusive).',
      source: 'GetMetricDataV2 MetricInterval.EndTime',
      unit: 'timestamp (UTC)',
      reaggregation: 'key',
    },
    contacts_handled_count: {
      description:
        "Connect's 'Contacts handled' for the agent: contacts connected to the agent however they got there (inbound, outbound, transfers, callbacks). Booked in the interval the contact disconnected.",
      source:
        'GetMetricDataV2 CONTACTS_HANDLED (grouped by AGENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contacts-handled',
      unit: 'count',
      reaggregation: 'exact: sum',
    },
    handle_time_sum_seconds: {
      description:
        "Connect's 'Contact handle time' for the agent: talk, hold, ACW and pause time of the agent's contacts, including time the agent was in a custom status. Booked in the interval the contact disconnected.",
      source:
        'GetMetricDataV2 SUM_HANDLE_TIME (grouped by AGENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contact-handle-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    online_time_sum_seconds: {
      description:
        "Connect's 'Online time': time the agent's status was anything but Offline, custom statuses included. Counted when it happened (split across intervals).",
      source:
        'GetMetricDataV2 SUM_ONLINE_TIME_AGENT (grouped by AGENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#online-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    idle_time_sum_seconds: {
      description:
        "Connect's 'Agent idle time': time in Available status not handling contacts, plus time contacts were in Error and the ring time before the agent accepts. Counted when it happened (split across intervals).",
      source:
        'GetMetricDataV2 SUM_IDLE_TIME_AGENT (grouped by AGENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#agent-idle-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    non_productive_time_sum_seconds: {
      description:
        "Connect's 'Agent non-productive time': time the agent spent in a custom status (not Available or Offline); it does not mean the time was unproductive. Counted when it happened (split across intervals).",
      source:
        'GetMetricDataV2 SUM_NON_PRODUCTIVE_TIME_AGENT (grouped by AGENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#agent-non-productive-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    contact_time_sum_seconds: {
      description:
        "Connect's 'Agent contact time': time on contacts including hold and ACW, excluding time on contacts while in a custom status or Offline. Counted when it happened (split across intervals).",
      source:
        "GetMetricDataV2 SUM_CONTACT_TIME_AGENT (grouped by AGENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html (section 'Agent contact time')",
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    avg_handle_time_seconds: {
      description:
        "Connect's average handle time (AHT) for the agent: talk, hold, ACW and pause per handled contact, excluding custom-status time. Null for rows collected before this definition was stored or with none handled.",
      source:
        'computed: aht_weighted_sum_seconds / contacts_handled_count (GetMetricDataV2 AVG_HANDLE_TIME); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-handle-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using aht_weighted_sum_seconds / contacts_handled_count',
    },
    occupancy_pct: {
      description:
        "Connect's occupancy: contact time as a percentage of contact time plus idle time; concurrency is ignored. Null when both are 0.",
      source:
        "computed: 100 x contact_time_sum_seconds / (contact_time_sum_seconds + idle_time_sum_seconds) (Connect's AGENT_OCCUPANCY formula); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#occupancy",
      unit: 'percent',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using contact_time_sum_seconds / (contact_time_sum_seconds + idle_time_sum_seconds) (x100)',
    },
    aht_weighted_sum_seconds: {
      description:
        "Connect's average handle time x contacts handled for the agent: the numerator of Connect's AHT, to re-aggregate it by summing. Null for rows collected before this definition was stored.",
      source:
        'GetMetricDataV2 AVG_HANDLE_TIME x CONTACTS_HANDLED (grouped by AGENT); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#average-handle-time',
      unit: 'seconds',
      reaggregation: 'exact: sum',
    },
    avg_contact_handle_time_seconds: {
      description:
        "Contact handle time per handled contact for the agent. Includes custom-status time, so it can exceed avg_handle_time_seconds (Connect's AHT). Null with none handled.",
      source:
        'computed: handle_time_sum_seconds / contacts_handled_count (GetMetricDataV2 SUM_HANDLE_TIME / CONTACTS_HANDLED); def: https://docs.aws.amazon.com/connect/latest/adminguide/metrics-definitions.html#contact-handle-time',
      unit: 'seconds',
      reaggregation:
        'exact: sum(numerator)/sum(denominator) using handle_time_sum_seconds / contacts_handled_count',
    },
  },
  v_reconciliation: {
    instance_id: {
      description: 'Amazon Connect instance ID the reconciled figure belongs to.',
      source: 'pipeline config',
      unit: 'text',
      reaggregation: 'key',
    },
    client_name: SHARED.client_name,
    queue_id: {
      description: 'Connect queue ID (STANDARD queues).',
      source: 'GetMetricDataV2 QUEUE dimension',
      unit: 'text',
      reaggregation: 'key',
    },
    queue_name: SHARED.queue_name,
    channel: {
      description: 'Channel of the figure: VOICE, CHAT or TASK.',
      source: 'GetMetricDataV2 CHANNEL dimension',
      unit: 'text',
      reaggregation: 'key',
    },
    day: {
      description:
        'The UTC day reconciled: reconciled once its last re-read is done (its end plus the largest historicalRestateHours age).',
      source: 'GetMetricDataV2 IntervalPeriod DAY, TimeZone UTC',
      unit: 'date',
      reaggregation: 'key',
    },
    metric: {
      description:
        'The figure compared: contacts_queued, contacts_handled, contacts_answered, contacts_abandoned, avg_queue_answer_time_seconds, or service_level_pct_<threshold>.',
      source: 'the historical collector',
      unit: 'text',
      reaggregation: 'key',
    },
    stored_value: {
      description:
        'Our figure for the day: the stored 15-minute rows re-aggregated as v_queue_daily and v_queue_service_level do (counts summed, averages as sum / count). 0 for a count with no stored row.',
      source: 'queue_interval_metrics, queue_interval_service_level',
      unit: 'count, seconds or percent (as metric)',
      reaggregation: 'no: one figure per day',
    },
    connect_value: {
      description:
        "Connect's own figure for the whole day, from one GetMetricDataV2 request with IntervalPeriod DAY (0 for a count Connect has no row for).",
      source:
        'GetMetricDataV2 CONTACTS_QUEUED, CONTACTS_HANDLED, SUM_CONTACTS_ANSWERED_IN_X (< 604800), CONTACTS_ABANDONED, AVG_QUEUE_ANSWER_TIME, SERVICE_LEVEL',
      unit: 'count, seconds or percent (as metric)',
      reaggregation: 'no: one figure per day',
    },
    difference: {
      description:
        'stored_value minus connect_value; null when only one side has a value (an average with no contact on one side).',
      source: 'computed',
      unit: 'as metric',
      reaggregation: 'no: one difference per figure',
    },
    tolerance: {
      description:
        'The largest difference taken as equal: reconciliationTolerancePercent of connect_value, at least 0.01 (Connect rounds averages to 2 decimals).',
      source: 'config reconciliationTolerancePercent',
      unit: 'as metric',
      reaggregation: 'no: one tolerance per figure',
    },
    within_tolerance: {
      description:
        'True when the difference is within the tolerance. Each false row counts in the ReconciliationDifferences alarm metric of the run that reconciled the day.',
      source: 'computed',
      unit: 'boolean',
      reaggregation: 'count the false rows',
    },
    reconciled_at: {
      description: 'When the historical run that reconciled the day started.',
      source: 'collector_run.started_at of that run',
      unit: 'timestamp (UTC)',
      reaggregation: 'max',
    },
  },
};

/**
 * v_queue_service_level_daily: v_queue_service_level's columns summed per UTC day (its day_utc is
 * v_queue_daily's).
 */
function serviceLevelDailyDocs(): Readonly<Record<string, ColumnDoc>> {
  const {
    instance_id,
    client_name,
    queue_id,
    queue_name,
    channel,
    interval_start: _perInterval,
    ...measures
  } = VIEW_DOCS.v_queue_service_level!;
  const queued = measures.contacts_queued_count!;
  return {
    instance_id: instance_id!,
    client_name: client_name!,
    queue_id: queue_id!,
    queue_name: queue_name!,
    channel: channel!,
    day_utc: VIEW_DOCS.v_queue_daily!.day_utc!,
    ...measures,
    contacts_queued_count: {
      ...queued,
      description:
        "Connect's 'Contacts queued' for the day (service level denominator): the sum over the day's 15-minute intervals that have this threshold's row, repeated on every threshold row: add it up within one threshold_seconds only.",
    },
  };
}

/** v_channel_realtime_1min: v_queue_realtime_1min's minutes rolled up over the queues. */
function channelMinuteDocs(): Readonly<Record<string, ColumnDoc>> {
  const minute = VIEW_DOCS.v_queue_realtime_1min!;
  const overQueues = (column: string, how: string, reaggregation: string): ColumnDoc => ({
    ...minute[column]!,
    description: `${how} of v_queue_realtime_1min.${column} over the instance's queues in this channel and minute. ${minute[column]!.description}`,
    reaggregation,
  });
  return {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    environment: SHARED.environment,
    channel: minute.channel!,
    minute_start: minute.minute_start!,
    queue_count: {
      description: 'Number of queues with snapshots in this channel and minute (the rows rolled up).',
      source: 'computed: count of v_queue_realtime_1min rows',
      unit: 'count',
      reaggregation: 'exact: sum over instances and channels',
    },
    contacts_in_queue_avg: overQueues(
      'contacts_in_queue_avg',
      'Sum (a contact waits in one queue)',
      'exact: sum over instances and channels; no: do not add minutes together',
    ),
    agents_available_max: overQueues(
      'agents_available_max',
      'Largest (an agent serves several queues, so queues do not add up)',
      'max',
    ),
    oldest_contact_age_max_seconds: overQueues('oldest_contact_age_max_seconds', 'Largest', 'max'),
  };
}

/** v_queue_open_period (V015): each queue's open periods on each collected local date. */
function openPeriodDocs(): Readonly<Record<string, ColumnDoc>> {
  const hours = (description: string, source: string, unit = 'text') => ({
    description,
    source,
    unit,
    reaggregation: 'key',
  });
  return {
    instance_id: SHARED.instance_id,
    client_name: SHARED.client_name,
    queue_id: SHARED.queue_id,
    queue_name: SHARED.queue_name,
    hours_id: hours("The queue's hours of operation.", 'SearchQueues Queue.HoursOfOperationId'),
    hours_name: hours('Name of the hours of operation.', 'DescribeHoursOfOperation Name'),
    time_zone: hours(
      'Time zone of the hours of operation: local dates and times below are in it.',
      'DescribeHoursOfOperation TimeZone',
    ),
    local_date: hours(
      'Local business date (in time_zone) the open period starts on.',
      'GetEffectiveHoursOfOperations EffectiveHoursOfOperationList.Date',
      'date',
    ),
    override_name: hours(
      "Name of the override (holiday or other exception) that set this date's hours; null on a standard day.",
      'GetEffectiveHoursOfOperations EffectiveOverrideHoursList.OverrideHours.OverrideName',
    ),
    opens_at: hours(
      'When the queue opens: the local start time of the period on local_date, as an instant (daylight saving applied).',
      'computed: local_date + OperationalHours.Start AT TIME ZONE time_zone',
      'timestamp',
    ),
    closes_at: hours(
      "When the queue closes: the period's local end (00:00 is the end of the day; an end not after the start is the next day), as an instant.",
      'computed: local_date + OperationalHours.End AT TIME ZONE time_zone',
      'timestamp',
    ),
  };
}

/**
 * The business-day views (V016): each column as its UTC-day or interval counterpart says, summed over
 * the local date, plus the zone, the date and the open-hours figures.
 */
function businessDayDocs(): Record<string, Readonly<Record<string, ColumnDoc>>> {
  const daily = VIEW_DOCS.v_queue_daily ?? {};
  const serviceLevel = serviceLevelDailyDocs();
  const agent = VIEW_DOCS.v_agent_interval ?? {};
  const zone: ColumnDoc = {
    description:
      "Time zone the business date is in: the queue's hours of operation's; for an agent, or a queue whose hours are not known, the zone most of the instance's queues use; else UTC.",
    source: 'DescribeHoursOfOperation TimeZone (V016 queue_zone, instance_time_zone)',
    unit: 'text',
    reaggregation: 'key',
  };
  const date: ColumnDoc = {
    description:
      'Local business date: the 15-minute intervals that start on this date in time_zone (23 or 25 hours on a daylight-saving change day), not the UTC day.',
    source: 'computed: (interval_start AT TIME ZONE time_zone)::date',
    unit: 'date',
    reaggregation: 'key',
  };
  const open = (of: string, base: ColumnDoc | undefined): ColumnDoc => ({
    description: `${base?.description ?? of} Only the intervals in open hours: those overlapping an open period of the queue's hours of operation (for an agent, of any of the instance's queues) on the date or the day before; NULL where the hours are not known.`,
    source: `${base?.source ?? 'computed'}; open periods from hours_open_periods (V015)`,
    unit: base?.unit ?? 'count',
    reaggregation: base?.reaggregation ?? 'exact: sum',
  });
  const pick = (docs: Readonly<Record<string, ColumnDoc>>, names: readonly string[]) =>
    Object.fromEntries(names.flatMap((n) => (docs[n] ? [[n, docs[n]]] : [])));
  const ordered = (
    docs: Readonly<Record<string, ColumnDoc>>,
    before: readonly string[],
    after: readonly string[],
    extra: Readonly<Record<string, ColumnDoc>> = {},
  ) => ({ ...pick(docs, before), time_zone: zone, business_date: date, ...pick(docs, after), ...extra });
  return {
    v_queue_daily_local: ordered(
      daily,
      ['instance_id', 'client_name', 'environment', 'queue_id', 'queue_name', 'channel'],
      [
        'contacts_queued_count',
        'contacts_handled_count',
        'contacts_abandoned_count',
        'avg_handle_time_seconds',
        'avg_queue_answer_time_seconds',
        'abandonment_rate_pct',
        'contacts_answered_count',
        'queue_answer_time_sum_seconds',
        'handle_time_sum_seconds',
        'aht_weighted_sum_seconds',
      ],
    ),
    v_queue_service_level_daily_local: ordered(
      serviceLevel,
      ['instance_id', 'client_name', 'queue_id', 'queue_name', 'channel'],
      [
        'threshold_seconds',
        'contacts_queued_count',
        'contacts_removed_in_threshold_count',
        'service_level_pct',
      ],
      {
        open_hours_contacts_queued_count: open('Contacts queued.', serviceLevel.contacts_queued_count),
        open_hours_contacts_removed_in_threshold_count: open(
          'Contacts removed within the threshold.',
          serviceLevel.contacts_removed_in_threshold_count,
        ),
        open_hours_service_level_pct: open('Service level.', serviceLevel.service_level_pct),
      },
    ),
    v_agent_daily_local: ordered(
      agent,
      ['instance_id', 'client_name', 'agent_id', 'username'],
      [
        'contacts_handled_count',
        'online_time_sum_seconds',
        'contact_time_sum_seconds',
        'idle_time_sum_seconds',
        'occupancy_pct',
      ],
      {
        open_hours_occupancy_pct: open('Occupancy.', agent.occupancy_pct),
        open_hours_contact_time_sum_seconds: open('Contact time.', agent.contact_time_sum_seconds),
        open_hours_idle_time_sum_seconds: open('Idle time.', agent.idle_time_sum_seconds),
      },
    ),
  };
}

/** Per view, per column. */
export const COLUMN_DOCS: ViewDocs = {
  ...businessDayDocs(),
  ...VIEW_DOCS,
  v_queue_service_level_daily: serviceLevelDailyDocs(),
  v_channel_realtime_1min: channelMinuteDocs(),
  v_queue_open_period: openPeriodDocs(),
};
