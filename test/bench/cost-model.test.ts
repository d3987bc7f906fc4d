import {
  centreHours,
  DEFAULT_USAGE,
  HOURS_PER_MONTH,
  type Inventory,
  monthlyCost,
  pollingShares,
  runsPerMonth,
  totalOf,
  workshopInventory,
} from '../../bench/cost-model';

const EMPTY: Inventory = {
  functions: [],
  expressMachines: [],
  standardMachines: [],
  auroraInstances: 0,
  averageAcu: 0,
  storageGb: 0,
  dataApiRequestsPerMonth: 0,
  alarms: 0,
  customMetrics: 0,
  logsGbPerMonth: 0,
  secrets: 0,
  kmsKeys: 0,
  natGateways: 0,
  natGbPerMonth: 0,
  rdsProxies: 0,
};

const line = (inv: Partial<Inventory>, item: string) =>
  monthlyCost({ ...EMPTY, ...inv }).find((l) => l.item === item)?.monthly;

describe('monthlyCost', () => {
  test('prices 0.5 ACU always on at $43.80 a month', () => {
    expect(line({ auroraInstances: 1, averageAcu: 0.5 }, 'aurora_compute')).toBe(43.8);
  });

  test('prices a Standard loop of 18 transitions a minute at $19.71 a month', () => {
    expect(
      line(
        { standardMachines: [{ transitionsPerMonth: 18 * runsPerMonth({ minutes: 1 }) }] },
        'step_functions',
      ),
    ).toBe(19.71);
  });

  test('prices an Express execution per run plus 64 MB for its billed seconds', () => {
    // 43,800 executions x ($1e-6 + 0.0625 GB x 52 s x $0.00001667) = $2.42
    expect(
      line({ expressMachines: [{ executionsPerMonth: 43_800, secondsPerExecution: 52 }] }, 'step_functions'),
    ).toBe(2.42);
  });

  test('prices Lambda requests and arm64 GB-seconds', () => {
    // 1 M requests ($0.20) x 0.25 GB x 0.5 s = 125,000 GB-s ($1.67)
    expect(
      line(
        { functions: [{ name: 'f', invocationsPerMonth: 1_000_000, memoryMb: 256, durationMs: 500 }] },
        'lambda',
      ),
    ).toBe(1.87);
  });

  test('bills RDS Proxy on at least 8 ACUs', () => {
    expect(line({ rdsProxies: 1, auroraInstances: 2, averageAcu: 0.5 }, 'rds_proxy')).toBe(
      8 * 0.015 * HOURS_PER_MONTH,
    );
  });

  test('prices a NAT gateway by the hour and by the GB', () => {
    expect(line({ natGateways: 1, natGbPerMonth: 10 }, 'nat_gateway')).toBe(33.3);
  });

  test('leaves out the items that cost nothing', () => {
    expect(monthlyCost({ ...EMPTY, secrets: 1 })).toEqual([{ item: 'secrets_kms', monthly: 0.4 }]);
  });
});

describe('totalOf', () => {
  test('sums the lines to the cent', () => {
    expect(
      totalOf([
        { item: 'a', monthly: 0.1 },
        { item: 'b', monthly: 0.2 },
      ]),
    ).toBe(0.3);
  });
});

describe('runsPerMonth', () => {
  test('counts 262,800 ten-second ticks and 8,760 five-minute runs in a 730-hour month', () => {
    expect(runsPerMonth({ seconds: 10 })).toBe(262_800);
    expect(runsPerMonth({ minutes: 5 })).toBe(8_760);
  });

  test('rejects a period that is not positive', () => {
    expect(() => runsPerMonth({})).toThrow(RangeError);
  });
});

describe('workshopInventory', () => {
  test('has two Standard machines, two Aurora instances at 0.5 ACU, one NAT gateway and RDS Proxy', () => {
    const inv = workshopInventory(DEFAULT_USAGE, 256);

    expect(inv.standardMachines).toHaveLength(2);
    expect([inv.auroraInstances, inv.averageAcu, inv.natGateways, inv.rdsProxies]).toEqual([2, 0.5, 1, 1]);
    expect(inv.dataApiRequestsPerMonth).toBe(0);
  });

  test('costs $87.60 of Aurora, $39.42 of Step Functions and $87.60 of RDS Proxy a month', () => {
    const bill = Object.fromEntries(
      monthlyCost(workshopInventory(DEFAULT_USAGE, 256)).map((l) => [l.item, l.monthly]),
    );

    expect(bill.aurora_compute).toBe(87.6);
    expect(bill.step_functions).toBe(39.42);
    expect(bill.rds_proxy).toBe(87.6);
  });
});

describe('pollingShares', () => {
  test('around the clock, or open 24x7, everything runs and the database never sleeps', () => {
    for (const hours of [undefined, centreHours(12, 5, false), centreHours(24, 7)]) {
      const shares = pollingShares(hours, { hourlyWakes: true, tailMinutes: 15 });
      expect([
        shares.realtimeRuns,
        shares.scheduledRuns(5),
        shares.probesPerMonth(10),
        shares.databaseAwake,
      ]).toEqual([1, 1, 0, 1]);
    }
  });

  test('a 12x5 centre polled by its hours: by hand', () => {
    const shares = pollingShares(centreHours(12, 5), { tailMinutes: 15 });
    // 12 h + 2 x 15 min margins on 5 days: 62.5 of 168 hours.
    expect(shares.realtimeRuns).toBeCloseTo(62.5 / 168, 10);
    // Closed 105.5 h: a probe every 5 minutes, 1,266 a week, x 730/168 a month.
    expect(shares.probesPerMonth(10)).toBeCloseTo(1266 * (730 / 168), 6);
    // Historical every 5 minutes: open runs plus one per 4-hour closed batch (26.375 a week of 2,016 runs).
    expect(shares.scheduledRuns(5)).toBeCloseTo(62.5 / 168 + 26.375 / 2016, 10);
    // Awake: 5 x (12.5 h + 15 + 5 min) + 26.375 batches x (15 s + 1 + 5 min).
    const wake = 15 / 3600 + 1 / 60 + 5 / 60;
    expect(shares.databaseAwake).toBeCloseTo((5 * (12.5 + 20 / 60) + 26.375 * wake) / 168, 10);
    // QuickSight's hourly refresh wakes it each closed hour too.
    const refreshed = pollingShares(centreHours(12, 5), { tailMinutes: 15, hourlyWakes: true });
    expect(refreshed.databaseAwake).toBeCloseTo((5 * (12.5 + 20 / 60) + (26.375 + 105.5) * wake) / 168, 10);
  });

  test('a 24x5 centre still sleeps at weekends', () => {
    expect(pollingShares(centreHours(24, 5)).databaseAwake).toBeLessThan(0.75);
  });
});
