import { FaultInjector } from '../../../local/data-api/faults';

describe('FaultInjector', () => {
  test('refuses every request with DatabaseResumingException during the window, and none after', () => {
    let now = 1_000;
    const faults = new FaultInjector(() => now);
    faults.resumingFor(500);

    const during = [faults.next(), faults.next()];
    now += 499;
    const last = faults.next();
    now += 1;
    const after = faults.next();

    expect(during.map((e) => e?.errorType)).toEqual([
      'DatabaseResumingException',
      'DatabaseResumingException',
    ]);
    expect(last?.status).toBe(400);
    expect(after).toBeUndefined();
    expect(faults.injected).toBe(3);
  });

  test('answers the next N requests with a queued error and its model status code', () => {
    const faults = new FaultInjector();
    faults.failNext('ServiceUnavailableError', 2);
    faults.failNext('ThrottlingException');

    const answers = [faults.next(), faults.next(), faults.next(), faults.next()];

    expect(answers.map((e) => e && [e.errorType, e.status])).toEqual([
      ['ServiceUnavailableError', 503],
      ['ServiceUnavailableError', 503],
      ['ThrottlingException', 429],
      undefined,
    ]);
  });

  test('takes an explicit status and message for names it does not know', () => {
    const faults = new FaultInjector();
    faults.failNext('SomethingElse', 1, { status: 418, message: 'teapot' });

    expect(faults.next()).toMatchObject({ errorType: 'SomethingElse', status: 418, message: 'teapot' });
  });

  test('clear stops every fault and zeroes the count', () => {
    const faults = new FaultInjector();
    faults.resumingFor(60_000);
    faults.failNext('StatementTimeoutException', 5);
    faults.next();

    faults.clear();

    expect(faults.next()).toBeUndefined();
    expect(faults.injected).toBe(0);
  });
});
